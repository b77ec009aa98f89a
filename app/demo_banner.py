"""Prints the address and the demo logins before `make run` starts serving."""
import sys

from app.demo import DEMO_LOGINS, DEMO_PASSWORD

port = sys.argv[1] if len(sys.argv) > 1 else "5000"
print(f"\n  Sanad is starting on http://127.0.0.1:{port}/\n")
print(f"  Demo logins (password for all: {DEMO_PASSWORD}, development only):")
for email, role in DEMO_LOGINS:
    print(f"    {email:<26} {role}")
print()
