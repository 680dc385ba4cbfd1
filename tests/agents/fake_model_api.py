#!/usr/bin/env python3
"""A fake model API on loopback that drives an agent's shell tool (tests/agents/agents.sh).

Speaks just enough of each CLI's API: Anthropic Messages (claude; SSE when asked), OpenAI
Responses (codex; SSE), Gemini generateContent and streamGenerateContent (gemini; SSE), and
OpenAI Chat Completions (opencode's openai-compatible provider; SSE when asked).

The prompt says what to run: the first `RUN: COMMAND` in the conversation (COMMAND runs to
the end of the line or a `"`, which some CLIs quote the prompt with). The first reply calls
the shell tool with COMMAND; once the tool's result is in the conversation, the reply is
`RESULT: ` and that result, so the test reads what the command got. Requests without `RUN:` (titles, summaries, warm-ups) get a short text.

Usage: fake_model_api.py PORT_FILE LOG_FILE. Binds 127.0.0.1 on a free port, writes the port
to PORT_FILE, and logs each request (path and the start of its body) to LOG_FILE.
"""
import json
import re
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def texts(value):
    """Every string inside a JSON value, depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from texts(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from texts(v)


def command_in(body):
    for t in texts(body.get("messages") or body.get("input") or body.get("contents") or []):
        m = re.search(r"RUN: ([^\"\n]+)", t)
        if m:
            return m.group(1).strip()
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return {}

    def send_json(self, value, status=200):
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_sse(self, events):
        """events: (name or None, JSON value) pairs; "[DONE]" as a value is sent as is."""
        data = b""
        for name, value in events:
            if name:
                data += b"event: " + name.encode() + b"\n"
            payload = value if isinstance(value, str) else json.dumps(value)
            data += b"data: " + payload.encode() + b"\n\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with open(sys.argv[2], "a") as log:
            log.write("GET " + self.path + "\n")
        if "/models" in self.path:
            self.send_json({"object": "list", "data": [{"id": "fake", "object": "model"}], "models": []})
        else:
            self.send_json({})

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        body = self.body()
        with open(sys.argv[2], "a") as log:
            log.write("POST " + self.path + " " + json.dumps(body)[:3000] + "\n")
        path = self.path.split("?")[0]
        if path.endswith("/messages/count_tokens"):
            self.send_json({"input_tokens": 10})
        elif path.endswith("/messages"):
            self.anthropic(body)
        elif path.endswith("/responses"):
            self.openai_responses(body)
        elif path.endswith("/chat/completions"):
            self.chat(body)
        elif ":generateContent" in path or ":streamGenerateContent" in path:
            self.gemini(body, ":streamGenerateContent" in path)
        elif path.endswith(":countTokens"):
            self.send_json({"totalTokens": 10})
        else:
            self.send_json({"error": {"message": "not faked: " + path}}, 404)

    # ---------------------------------------------------------------- what to say

    def plan(self, command, result):
        """("tool", command) for the first turn, ("text", words) after it or without RUN:."""
        if command is None:
            return "text", "ok"
        if result is None:
            return "tool", command
        return "text", "RESULT: " + result

    # ---------------------------------------------------------------- Anthropic Messages

    def anthropic(self, body):
        result = None
        for message in body.get("messages", []):
            content = message.get("content")
            for block in content if isinstance(content, list) else []:
                if isinstance(block, dict) and block.get("type") == "tool_result":
                    result = " ".join(texts(block.get("content", "")))
        kind, what = self.plan(command_in(body), result)
        if kind == "tool":
            block = {"type": "tool_use", "id": "toolu_" + uuid.uuid4().hex[:20], "name": "Bash",
                     "input": {"command": what, "description": "run the command"}}
            stop = "tool_use"
        else:
            block = {"type": "text", "text": what}
            stop = "end_turn"
        message = {"id": "msg_" + uuid.uuid4().hex[:20], "type": "message", "role": "assistant",
                   "model": body.get("model", "fake"), "content": [block], "stop_reason": stop,
                   "stop_sequence": None, "usage": {"input_tokens": 10, "output_tokens": 10}}
        if not body.get("stream"):
            self.send_json(message)
            return
        start = dict(message, content=[], stop_reason=None)
        if block["type"] == "tool_use":
            first = dict(block, input={})
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        else:
            first = {"type": "text", "text": ""}
            delta = {"type": "text_delta", "text": block["text"]}
        self.send_sse([
            ("message_start", {"type": "message_start", "message": start}),
            ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": first}),
            ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}),
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            ("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                               "usage": {"output_tokens": 10}}),
            ("message_stop", {"type": "message_stop"}),
        ])

    # ---------------------------------------------------------------- OpenAI Responses

    def openai_responses(self, body):
        result = None
        for item in body.get("input", []) if isinstance(body.get("input"), list) else []:
            if isinstance(item, dict) and item.get("type") in ("function_call_output", "custom_tool_call_output"):
                output = item.get("output")
                result = output if isinstance(output, str) else " ".join(texts(output))
        kind, what = self.plan(command_in(body), result)
        tools = {t.get("name") for t in body.get("tools", []) if isinstance(t, dict)}
        if kind == "tool":
            if "exec_command" in tools:
                name, arguments = "exec_command", {"cmd": what}
            else:
                name, arguments = "shell", {"command": ["bash", "-lc", what]}
            item = {"type": "function_call", "id": "fc_" + uuid.uuid4().hex[:20], "call_id": "call_" + uuid.uuid4().hex[:20],
                    "name": name, "arguments": json.dumps(arguments), "status": "completed"}
        else:
            item = {"type": "message", "id": "msg_" + uuid.uuid4().hex[:20], "role": "assistant", "status": "completed",
                    "content": [{"type": "output_text", "text": what, "annotations": []}]}
        rid = "resp_" + uuid.uuid4().hex[:20]
        response = {"id": rid, "object": "response", "status": "completed", "model": body.get("model", "fake"),
                    "output": [item], "usage": {"input_tokens": 10, "output_tokens": 10, "total_tokens": 20,
                                                 "input_tokens_details": {"cached_tokens": 0},
                                                 "output_tokens_details": {"reasoning_tokens": 0}}}
        if not body.get("stream"):
            self.send_json(response)
            return
        self.send_sse([
            ("response.created", {"type": "response.created", "response": dict(response, status="in_progress", output=[])}),
            ("response.output_item.added", {"type": "response.output_item.added", "output_index": 0, "item": item}),
            ("response.output_item.done", {"type": "response.output_item.done", "output_index": 0, "item": item}),
            ("response.completed", {"type": "response.completed", "response": response}),
        ])

    # ---------------------------------------------------------------- OpenAI Chat Completions

    def chat(self, body):
        result = None
        for message in body.get("messages", []):
            if message.get("role") == "tool":
                result = " ".join(texts(message.get("content", "")))
        kind, what = self.plan(command_in(body), result)
        names = [t.get("function", {}).get("name") for t in body.get("tools", []) if isinstance(t, dict)]
        tool = "bash" if "bash" in names else (names[0] if names else "bash")
        cid = "chatcmpl-" + uuid.uuid4().hex[:20]
        if kind == "tool":
            call = {"index": 0, "id": "call_" + uuid.uuid4().hex[:20], "type": "function",
                    "function": {"name": tool, "arguments": json.dumps({"command": what, "description": "run it"})}}
            message, finish = {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"
        else:
            message, finish = {"role": "assistant", "content": what}, "stop"
        usage = {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}
        if not body.get("stream"):
            self.send_json({"id": cid, "object": "chat.completion", "model": body.get("model", "fake"),
                            "choices": [{"index": 0, "message": message, "finish_reason": finish}], "usage": usage})
            return
        chunk = {"id": cid, "object": "chat.completion.chunk", "model": body.get("model", "fake")}
        self.send_sse([
            (None, dict(chunk, choices=[{"index": 0, "delta": message, "finish_reason": None}])),
            (None, dict(chunk, choices=[{"index": 0, "delta": {}, "finish_reason": finish}], usage=usage)),
            (None, "[DONE]"),
        ])

    # ---------------------------------------------------------------- Gemini

    def gemini(self, body, stream):
        result = None
        for content in body.get("contents", []):
            for part in content.get("parts", []):
                if isinstance(part, dict) and "functionResponse" in part:
                    result = " ".join(texts(part["functionResponse"].get("response", {})))
        declared = {f.get("name") for t in body.get("tools", []) for f in t.get("functionDeclarations", [])}
        # Gemini CLI asks side questions (which model to route to) without tools: no call there.
        kind, what = self.plan(command_in(body) if "run_shell_command" in declared else None, result)
        if kind == "tool":
            part = {"functionCall": {"name": "run_shell_command", "args": {"command": what}}}
        else:
            part = {"text": what}
        reply = {"candidates": [{"content": {"role": "model", "parts": [part]}, "finishReason": "STOP", "index": 0}],
                 "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 10, "totalTokenCount": 20}}
        if stream:
            self.send_sse([(None, reply)])
        else:
            self.send_json(reply)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1], "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
