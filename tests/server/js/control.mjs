// The fake's control plane from node, as a JavaScript test suite drives the standalone server:
// `advance SECONDS` moves its clock, `state` reads every queue. Uses only Node's own fetch,
// at the endpoint the SDK is given (AWS_ENDPOINT_URL_SQS). Prints the status and the JSON answer.
const endpoint = process.env.AWS_ENDPOINT_URL_SQS;
const [command, seconds] = process.argv.slice(2);

const response =
  command === "advance"
    ? await fetch(`${endpoint}/_fakesqs/advance`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ seconds: Number(seconds) }),
      })
    : await fetch(`${endpoint}/_fakesqs/${command}`);
process.stdout.write(
  JSON.stringify({ status: response.status, body: await response.json() }) + "\n",
);
