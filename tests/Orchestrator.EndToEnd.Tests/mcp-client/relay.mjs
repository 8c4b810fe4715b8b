// A scripted stand-in for Claude Code's channel permission relay, built on the official TypeScript SDK: starts
// `orchestrator mcp` over stdio, prints the server's experimental capabilities, then sends each line of its own stdin
// as the params of a notifications/claude/channel/permission_request (a line "close" ends the session), and prints
// every notifications/claude/channel/permission verdict it receives. One JSON line per step on stdout.
//   node relay.mjs '{"command":"/path/orchestrator","args":["mcp",…],"env":{…}}'
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const config = JSON.parse(process.argv[2]);
const print = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const client = new Client({ name: "claude-code-relay-e2e", version: "1.0.0" }, { capabilities: {} });
client.fallbackNotificationHandler = async (n) => {
  if (n.method === "notifications/claude/channel/permission") print({ step: "verdict", ...n.params });
  else print({ step: "notification", method: n.method });
};
const transport = new StdioClientTransport({ command: config.command, args: config.args ?? [], env: { ...process.env, ...(config.env ?? {}) }, stderr: "inherit" });

try {
  await client.connect(transport);
  print({ step: "connected", experimental: client.getServerCapabilities()?.experimental ?? null });
  process.stdin.setEncoding("utf8");
  let buffered = "";
  for await (const chunk of process.stdin) {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line === "close") { await client.close(); print({ step: "closed" }); process.exit(0); }
      await client.notification({ method: "notifications/claude/channel/permission_request", params: JSON.parse(line) });
      print({ step: "sent" });
    }
  }
  await client.close();
} catch (e) {
  print({ step: "error", message: String(e?.message ?? e) });
  process.exitCode = 1;
}
