#!/usr/bin/env python3
"""Writes a synthetic ChatGPT export (conversations.json) for import throughput runs.

usage: generate-chatgpt-export.py <out.json> [conversations=2000] [messages_per_conversation=50]
Every fifth conversation has a regenerated branch; content mixes ASCII, accents and emoji.
"""
import json, sys, random

out = sys.argv[1]
conversations = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
per = int(sys.argv[3]) if len(sys.argv) > 3 else 50
random.seed(7)
t0 = 1700000000.0
words = "gear shaft bearing torque café naïve 🚗 ⚙️ module pitch helix tooth spline".split()
with open(out, "w", encoding="utf-8") as f:
    f.write("[")
    for c in range(conversations):
        mapping = {"root": {"id": "root", "message": None, "parent": None, "children": []}}
        parent = "root"
        t = t0 + c * 1000
        for m in range(per):
            nid = f"c{c}m{m}"
            role = "user" if m % 2 == 0 else "assistant"
            text = " ".join(random.choice(words) for _ in range(random.randint(5, 60)))
            mapping[nid] = {"id": nid, "parent": parent, "children": [], "message": {
                "id": nid, "author": {"role": role, "name": None, "metadata": {}}, "create_time": t + m,
                "update_time": None, "content": {"content_type": "text", "parts": [text]},
                "status": "finished_successfully", "end_turn": True, "weight": 1.0,
                "metadata": {"model_slug": "gpt-4o"} if role == "assistant" else {}, "recipient": "all"}}
            mapping[parent]["children"].append(nid)
            parent = nid
        leaf = parent
        if c % 5 == 0 and per > 2:
            # a regenerated last answer: a sibling of the last message
            nid = f"c{c}regen"
            last_parent = mapping[leaf]["parent"]
            mapping[nid] = json.loads(json.dumps(mapping[leaf]))
            mapping[nid]["id"] = nid
            mapping[nid]["message"]["id"] = nid
            mapping[nid]["message"]["create_time"] = t + per + 1
            mapping[nid]["message"]["content"]["parts"] = ["regenerated"]
            mapping[last_parent]["children"].append(nid)
        conv = {"id": f"conv-{c}", "title": f"Conversation {c}", "create_time": t, "update_time": t + per,
                "mapping": mapping, "current_node": leaf, "default_model_slug": "gpt-4o"}
        if c:
            f.write(",")
        json.dump(conv, f, ensure_ascii=False)
    f.write("]")
