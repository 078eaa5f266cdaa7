// A standard queue end to end: create, look up, send (String, Number and Binary attributes),
// batch send, receive with system and message attributes, change visibility, delete, queue
// attributes, list, purge. Prints what each call returned.
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { main, makeClient, md5OfBody, md5OfMessageAttributes } from "./common.mjs";

const sqs = makeClient();

await main(async (out) => {
  const created = await sqs.send(
    new CreateQueueCommand({ QueueName: "jobs", Attributes: { VisibilityTimeout: "45" } }),
  );
  out.queueUrl = created.QueueUrl;
  out.createStatus = created.$metadata.httpStatusCode;
  const url = created.QueueUrl;
  out.lookedUpUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: "jobs" }))).QueueUrl;

  const attributes = {
    colour: { DataType: "String", StringValue: "blue ✓" },
    count: { DataType: "Number", StringValue: "42" },
    blob: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 2, 255]) },
  };
  const sent = await sqs.send(
    new SendMessageCommand({ QueueUrl: url, MessageBody: "héllo wörld", MessageAttributes: attributes }),
  );
  out.sent = {
    MessageId: sent.MessageId,
    MD5OfMessageBody: sent.MD5OfMessageBody,
    MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
    expectedMD5OfMessageBody: md5OfBody("héllo wörld"),
    expectedMD5OfMessageAttributes: md5OfMessageAttributes(attributes),
  };

  const batch = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: [
        { Id: "first", MessageBody: "batch one" },
        {
          Id: "second",
          MessageBody: "batch two",
          MessageAttributes: { kind: { DataType: "String.custom", StringValue: "x" } },
        },
        { Id: "bad", MessageBody: "nul \u0000 here" },
      ],
    }),
  );
  out.batch = { Successful: batch.Successful, Failed: batch.Failed };
  out.batchExpectedMD5OfMessageAttributes = md5OfMessageAttributes({
    kind: { DataType: "String.custom", StringValue: "x" },
  });

  const received = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    }),
  );
  out.received = received.Messages;
  out.receivedAttributeMD5s = received.Messages.map((m) =>
    m.MessageAttributes === undefined ? null : md5OfMessageAttributes(m.MessageAttributes),
  );

  // Make the first message visible again, and receive it a second time with named attributes.
  const first = received.Messages.find((m) => m.MessageId === sent.MessageId);
  const changed = await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: url,
      ReceiptHandle: first.ReceiptHandle,
      VisibilityTimeout: 0,
    }),
  );
  out.changeVisibilityStatus = changed.$metadata.httpStatusCode;
  const again = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
      MessageAttributeNames: ["colour"],
    }),
  );
  out.receivedAgain = again.Messages;

  const deleted = await sqs.send(
    new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.Messages[0].ReceiptHandle }),
  );
  out.deleteStatus = deleted.$metadata.httpStatusCode;

  out.queueAttributes = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }))
  ).Attributes;

  const other = (await sqs.send(new CreateQueueCommand({ QueueName: "jobs-to-purge" }))).QueueUrl;
  await sqs.send(new SendMessageCommand({ QueueUrl: other, MessageBody: "doomed" }));
  out.listed = (await sqs.send(new ListQueuesCommand({}))).QueueUrls;
  out.listedWithPrefix = (
    await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "jobs-" }))
  ).QueueUrls;
  out.purgeStatus = (await sqs.send(new PurgeQueueCommand({ QueueUrl: other }))).$metadata
    .httpStatusCode;
});
