// A FIFO queue: sends with group and deduplication ids (one a duplicate), a batch, receives
// in group order with the FIFO system attributes, and a send without a group id.
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { describeError, main, makeClient } from "./common.mjs";

const sqs = makeClient();

await main(async (out) => {
  const url = (
    await sqs.send(
      new CreateQueueCommand({ QueueName: "orders.fifo", Attributes: { FifoQueue: "true" } }),
    )
  ).QueueUrl;
  out.queueUrl = url;

  const send = (body, group, dedup) =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: body,
        MessageGroupId: group,
        MessageDeduplicationId: dedup,
      }),
    );
  out.sent = [
    await send("a1", "group-a", "dedup-1"),
    await send("b1", "group-b", "dedup-2"),
    await send("a2", "group-a", "dedup-3"),
    // The same deduplication id within five minutes: accepted, not stored again.
    await send("a1 again", "group-a", "dedup-1"),
  ].map(({ MessageId, SequenceNumber, MD5OfMessageBody }) => ({
    MessageId,
    SequenceNumber,
    MD5OfMessageBody,
  }));

  const batch = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: [
        { Id: "b2", MessageBody: "b2", MessageGroupId: "group-b", MessageDeduplicationId: "dedup-4" },
        { Id: "a3", MessageBody: "a3", MessageGroupId: "group-a", MessageDeduplicationId: "dedup-5" },
      ],
    }),
  );
  out.batch = { Successful: batch.Successful, Failed: batch.Failed };

  out.received = (
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: [
          "MessageGroupId",
          "MessageDeduplicationId",
          "SequenceNumber",
          "ApproximateReceiveCount",
        ],
      }),
    )
  ).Messages.map(({ MessageId, Body, Attributes }) => ({ MessageId, Body, Attributes }));

  try {
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "no group" }));
    out.missingGroupError = null;
  } catch (error) {
    out.missingGroupError = describeError(error);
  }
});
