// Two runs around a jump of the fake's clock: `send` sends a message delayed by 60 seconds
// and receives nothing; after the test advances the clock, `receive` gets it.
import {
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { main, makeClient } from "./common.mjs";

const sqs = makeClient();
const phase = process.argv[2];

await main(async (out) => {
  const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: "later" }))).QueueUrl;
  if (phase === "send") {
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: "see you later", DelaySeconds: 60 }),
    );
    out.MessageId = sent.MessageId;
  }
  const received = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ["SentTimestamp"] }),
  );
  out.received = (received.Messages ?? []).map(({ MessageId, Body, Attributes }) => ({
    MessageId,
    Body,
    Attributes,
  }));
});
