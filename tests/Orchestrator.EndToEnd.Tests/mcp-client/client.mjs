// A scripted MCP client built on the official TypeScript SDK: connects over stdio or streamable HTTP, lists the
// tools, makes the calls given, and prints one JSON line per step on stdout. Used by the end-to-end tests only.
//   node client.mjs '{"transport":"http","url":"http://127.0.0.1:PORT/mcp","token":"…","elicit":"approve","calls":[{"name":"bash","arguments":{"command":"ls"}}]}'
//   node client.mjs '{"transport":"stdio","command":"/path/orchestrator","args":["mcp",…],"env":{…},"calls":[…]}'
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const config = JSON.parse(process.argv[2]);
const stdinLines = [];
let stdinWaiter = null;
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { for (const line of chunk.split("\n").slice(0, -1)) { stdinLines.push(line); stdinWaiter?.(); } });
const nextStdinLine = () => new Promise((resolve) => {
  const take = () => { if (stdinLines.length) { stdinWaiter = null; resolve(stdinLines.shift()); } };
  stdinWaiter = take; take();
});
const print = (o) => process.stdout.write(JSON.stringify(o) + "\n");

const capabilities = config.elicit ? { elicitation: { form: {} } } : {};
const client = new Client({ name: "orchestrator-e2e", version: "1.0.0" }, { capabilities });
if (config.elicit) {
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    print({ step: "elicited", message: request.params.message });
    if (config.elicit === "decline") return { action: "decline" };
    return { action: "accept", content: { approve: config.elicit === "approve" } };
  });
}

const transport = config.transport === "stdio"
  ? new StdioClientTransport({ command: config.command, args: config.args ?? [], env: { ...process.env, ...(config.env ?? {}) }, stderr: "inherit" })
  : new StreamableHTTPClientTransport(new URL(config.url), {
      requestInit: { headers: config.token ? { Authorization: `Bearer ${config.token}` } : {} },
    });

try {
  await client.connect(transport);
  print({ step: "connected", protocolVersion: transport.protocolVersion ?? null, server: client.getServerVersion() });
  const listed = await client.listTools();
  print({ step: "tools", names: listed.tools.map((t) => t.name),
    flagged: listed.tools.filter((t) => t._meta?.["orchestrator/definitionChanged"] === true).map((t) => ({ name: t.name, description: t.description })) });
  let previous = "";
  for (const call of config.calls ?? []) {
    // "afterStdinLine": wait for the test to say go (e.g. once an operator answered); "callIdFromPrevious": the
    // call_id the previous answer named ("… call_status with call_id ID …").
    if (call.afterStdinLine) { print({ step: "waiting" }); await nextStdinLine(); }
    const args = call.callIdFromPrevious ? { call_id: /call_id (\S+)/.exec(previous)?.[1] ?? "" } : (call.arguments ?? {});
    // "untilEnded": call again while the answer says the call is still open, as that answer tells an agent to do
    // (each call_status waits at most the server's --wait); each such answer is printed as a "still" step.
    for (let asked = 1; ; asked++) {
      const started = performance.now();
      const result = await client.callTool({ name: call.name, arguments: args }, undefined, { timeout: config.timeoutMs ?? 120000 });
      const ms = performance.now() - started;
      previous = result.content.map((c) => c.text ?? "").join("");
      const open = call.untilEnded && !result.isError && /^call \S+ is still /.test(previous);
      print({ step: open && asked < 40 ? "still" : "result", name: call.name, isError: result.isError ?? false, text: previous, ms });
      if (!open || asked >= 40) break;
    }
  }
  await client.close();
  process.stdin.destroy();
} catch (e) {
  print({ step: "error", message: String(e?.message ?? e) });
  process.exitCode = 1;
  process.stdin.destroy();
}
