// Shared by the scripts of tests/server/test_js_sdk.py: a client configured only from the
// environment (FakeSQSServer.env()), a JSON printer, and an independent MD5 of message
// attributes (the SDK checks only body MD5s, so the attribute digests are checked here).
import { createHash } from "node:crypto";
import { SQSClient } from "@aws-sdk/client-sqs";

// No endpoint, region or credentials in code: the SDK reads AWS_ENDPOINT_URL_SQS, AWS_REGION
// and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, as an application under test would. MD5
// validation of sent and received bodies is the SDK's default (md5: true) and stays on.
export function makeClient() {
  return new SQSClient({ maxAttempts: 1 });
}

function lengthPrefixed(bytes) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, Buffer.from(bytes)]);
}

// The digest SQS returns as MD5OfMessageAttributes: attributes sorted by name, each encoded as
// name, data type, a transport byte (1 string, 2 binary) and the value, lengths big-endian.
export function md5OfMessageAttributes(attributes) {
  const parts = [];
  for (const name of Object.keys(attributes).sort()) {
    const { DataType, StringValue, BinaryValue } = attributes[name];
    parts.push(lengthPrefixed(Buffer.from(name, "utf8")));
    parts.push(lengthPrefixed(Buffer.from(DataType, "utf8")));
    if (BinaryValue !== undefined) {
      parts.push(Buffer.from([2]), lengthPrefixed(BinaryValue));
    } else {
      parts.push(Buffer.from([1]), lengthPrefixed(Buffer.from(StringValue, "utf8")));
    }
  }
  return createHash("md5").update(Buffer.concat(parts)).digest("hex");
}

export function md5OfBody(body) {
  return createHash("md5").update(Buffer.from(body, "utf8")).digest("hex");
}

// The fields of an SDK error a caller looks at.
export function describeError(error) {
  return {
    name: error.name,
    message: error.message,
    Code: error.Code,
    Type: error.Type,
    fault: error.$fault,
    httpStatusCode: error.$metadata?.httpStatusCode,
    isServiceException: "$metadata" in error,
  };
}

// Runs `fn(result)`, filling `result`, and prints it as one JSON object: Uint8Arrays as
// {"base64": ...}, $metadata reduced to the HTTP status.
export async function main(fn) {
  const result = {};
  await fn(result);
  const replacer = (key, value) => {
    if (value instanceof Uint8Array) {
      return { base64: Buffer.from(value).toString("base64") };
    }
    if (value?.type === "Buffer" && Array.isArray(value.data)) {
      return { base64: Buffer.from(value.data).toString("base64") };
    }
    if (key === "$metadata") {
      return { httpStatusCode: value.httpStatusCode };
    }
    return value;
  };
  process.stdout.write(JSON.stringify(result, replacer) + "\n");
}
