# Sourced by the benchmark scripts (not run): one way to start a real `orchestrator serve`, learn its URL, wait for it
# to be ready, issue tokens and stop it. One server at a time per script; its pid and URL are in $serve_pid, $serve_url.
#   serve_start LOG DIR COMMAND...   runs COMMAND (e.g. "$exe" serve --port 0 --data …, or env VAR=… "$exe" serve …)
#                                    in DIR in the background, stdout and stderr to LOG; returns once the server has
#                                    announced its URL ("serving on http://…"); fails, printing LOG, if it exits first
#   serve_ready                      waits until GET /readyz answers 200; fails, printing the log, if the server exits
#   serve_stop                       SIGTERM and wait (nothing when no server runs); safe in an EXIT trap
#   serve_token EXE DATA ROLE NAME [AGENT]   issues a token into DATA (no server needed) and prints its secret
# serve_poll (seconds between checks, default 0.05) may be set before the calls.
serve_pid=""; serve_url=""; serve_log=""
serve_poll=${serve_poll:-0.05}

serve_start() {
  serve_log=$1; local dir=$2; shift 2
  (cd "$dir" && exec "$@") >"$serve_log" 2>&1 &
  serve_pid=$!; serve_url=""
  while [ -z "$serve_url" ]; do
    kill -0 "$serve_pid" 2>/dev/null || { echo "serve: the server exited before serving:" >&2; cat "$serve_log" >&2; serve_pid=""; return 1; }
    serve_url=$(grep -o 'serving on http://[0-9.:]*' "$serve_log" | head -1 | sed 's/serving on //') || true
    [ -n "$serve_url" ] || sleep "$serve_poll"
  done
}

serve_ready() {
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$serve_url/readyz")" = 200 ]; do
    kill -0 "$serve_pid" 2>/dev/null || { echo "serve: the server exited before it was ready:" >&2; cat "$serve_log" >&2; return 1; }
    sleep "$serve_poll"
  done
}

serve_stop() {
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then kill -TERM "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null || true; fi
  serve_pid=""
}

serve_token() {
  local exe=$1 data=$2 role=$3 name=$4 agent=${5:-}
  "$exe" tokens add --role "$role" --name "$name" ${agent:+--agent "$agent"} --data "$data" | tail -1
}
