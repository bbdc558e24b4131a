#!/usr/bin/env python3
"""Writes a synthetic mongoexport directory of the CAD assistant (seed 002) for import throughput runs.

usage: generate-mongo-export.py <out-dir> [projects=2000] [messages_per_project=50]
users.jsonl, projects.jsonl, messages.jsonl (one Extended JSON document per line, as
`mongoexport` writes them), every tenth assistant answer with an S3 reference, one files
document and one processing log per project, and a legacy flat chat_messages.jsonl with a tenth
as many messages again (sessions without a project).
"""
import json, os, random, sys

out = sys.argv[1]
projects = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
per = int(sys.argv[3]) if len(sys.argv) > 3 else 50
random.seed(11)
os.makedirs(out, exist_ok=True)
t0 = 1728000000000
words = "gear shaft bearing torque café naïve 🚗 ⚙️ module pitch helix tooth spline fillet chamfer".split()
users = max(1, projects // 10)
oid_counter = 0


def oid():
    global oid_counter
    oid_counter += 1
    return {"$oid": "6709%020x" % oid_counter}


def date(ms):
    return {"$date": {"$numberLong": str(ms)}}


def text(lo, hi):
    return " ".join(random.choice(words) for _ in range(random.randint(lo, hi)))


with open(os.path.join(out, "users.jsonl"), "w", encoding="utf-8") as f:
    for u in range(users):
        f.write(json.dumps({"_id": oid(), "user_id": f"user-{u}", "username": f"cad_user_{u}",
                            "email": f"cad_user_{u}@example.com", "created_at": date(t0)}, ensure_ascii=False) + "\n")

messages = 0
with open(os.path.join(out, "projects.jsonl"), "w", encoding="utf-8") as pf, \
        open(os.path.join(out, "messages.jsonl"), "w", encoding="utf-8") as mf, \
        open(os.path.join(out, "files.jsonl"), "w", encoding="utf-8") as ff, \
        open(os.path.join(out, "logs.jsonl"), "w", encoding="utf-8") as lf:
    for p in range(projects):
        owner = f"user-{p % users}"
        name = f"part_{p}"
        t = t0 + p * 100_000
        pf.write(json.dumps({"_id": oid(), "project_id": f"project-{p}", "project_name": name, "created_by": owner,
                             "created_at": date(t), "updated_at": date(t + per * 1000), "status": random.choice(["draft", "processing", "completed", "error"]),
                             "current_version": {"$numberInt": "3"}, "ai_model_used": "GPT-4",
                             "latest_s3_input": f"s3://bucket/input/{name}/{name}_v3.py",
                             "metadata": {"description": text(3, 12)}}, ensure_ascii=False) + "\n")
        for m in range(per):
            role = "user" if m % 2 == 0 else "assistant"
            doc = {"_id": oid(), "project_id": f"project-{p}", "user_id": owner, "role": role,
                   "content": text(5, 300) if role == "assistant" else text(3, 40), "timestamp": date(t + m * 1000),
                   "metadata": {"version": {"$numberInt": str(1 + m // 20)}}}
            if role == "assistant":
                doc["metadata"]["source_model"] = "GPT-4"
                if m % 20 == 1:
                    doc["metadata"]["s3_url"] = f"s3://bucket/output/{name}/{name}_v{1 + m // 20}.step"
            mf.write(json.dumps(doc, ensure_ascii=False) + "\n")
            messages += 1
        ff.write(json.dumps({"_id": oid(), "project_id": f"project-{p}", "s3_path": f"s3://bucket/input/{name}/{name}_v3.py",
                             "file_type": "input", "version": 3, "size_bytes": {"$numberLong": "2048"},
                             "created_at": date(t), "metadata": {"uploaded_by": owner}}) + "\n")
        lf.write(json.dumps({"_id": oid(), "project_id": f"project-{p}", "version": 3,
                             "s3_log_path": f"s3://bucket/logs/{name}/{name}_info.log", "log_summary": "Model generated.",
                             "timestamp": date(t + per * 1000), "metadata": {"exit_code": 0, "processing_time": 12.5}}) + "\n")

legacy = messages // 10
with open(os.path.join(out, "chat_messages.jsonl"), "w", encoding="utf-8") as f:
    for i in range(legacy):
        session = i // 20
        f.write(json.dumps({"_id": oid(), "user_id": f"user-{session % users}", "session_id": f"sess-{session}",
                            "role": "user" if i % 2 == 0 else "assistant", "content": text(3, 60),
                            "timestamp": {"$date": "2025-09-01T10:00:00Z"} if i % 7 == 0 else date(t0 - 10_000_000 + i * 1000)},
                           ensure_ascii=False) + "\n")
print(f"{users} users, {projects} projects, {messages} messages + {legacy} legacy chat_messages in {out}")
