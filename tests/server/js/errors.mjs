// Errors as the SDK surfaces them: the modelled QueueDoesNotExist (by name, by URL), the 403
// PurgeQueueInProgress, and the unmodelled InvalidParameterValue.
import {
  CreateQueueCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSServiceException,
} from "@aws-sdk/client-sqs";
import { describeError, main, makeClient } from "./common.mjs";

const sqs = makeClient();

async function failure(command) {
  try {
    await sqs.send(command);
  } catch (error) {
    return {
      ...describeError(error),
      isQueueDoesNotExist: error instanceof QueueDoesNotExist,
      isSQSServiceException: error instanceof SQSServiceException,
    };
  }
  return null;
}

await main(async (out) => {
  out.getQueueUrl = await failure(new GetQueueUrlCommand({ QueueName: "missing" }));
  const endpoint = process.env.AWS_ENDPOINT_URL_SQS;
  out.sendToMissing = await failure(
    new SendMessageCommand({ QueueUrl: `${endpoint}/123456789012/missing`, MessageBody: "x" }),
  );
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: "jobs" }))).QueueUrl;
  await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  out.purgeTwice = await failure(new PurgeQueueCommand({ QueueUrl: url }));
  out.tooMany = await failure(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 }));
});
