#!/usr/bin/env python3
"""Adds a parameter to a cmdlet in en-US/AudioEmbed.PowerShell.dll-Help.xml: to every syntax item and to the
parameters section, in the same shape as the hand-written entries. Usage:
  tools/add-help-parameter.py Cmdlet Name Type "description" ["default"]"""
import sys, re
from xml.sax.saxutils import escape

path = "en-US/AudioEmbed.PowerShell.dll-Help.xml"
cmdlet, name, typ, desc = sys.argv[1:5]
default = sys.argv[5] if len(sys.argv) > 5 else "None"
s = open(path, encoding="utf-8").read()
start = s.index(f"<command:name>{cmdlet}</command:name>")
end = s.index("</command:command>", start)
block = s[start:end]
if f"<maml:name>{name}</maml:name>" in block:
    sys.exit(f"{cmdlet} already documents -{name}")

def entry(indent, with_default):
    d = f'\n{indent}  <dev:defaultValue>{escape(default)}</dev:defaultValue>' if with_default else ""
    return (f'{indent}<command:parameter required="false" variableLength="false" globbing="false" pipelineInput="False" position="named" aliases="none">\n'
            f'{indent}  <maml:name>{name}</maml:name>\n'
            f'{indent}  <maml:description><maml:para>{escape(desc)}</maml:para></maml:description>\n'
            f'{indent}  <command:parameterValue required="true" variableLength="false">{typ}</command:parameterValue>\n'
            f'{indent}  <dev:type><maml:name>{typ}</maml:name><maml:uri /></dev:type>{d}\n'
            f'{indent}</command:parameter>\n')

# Each syntax item: before its closing tag.
block = re.sub(r"(\n)(\s*)</command:syntaxItem>", lambda m: "\n" + entry(m.group(2) + "  ", False) + m.group(2) + "</command:syntaxItem>", block)
# The parameters section: before its closing tag.
block = re.sub(r"(\n)(\s*)</command:parameters>", lambda m: "\n" + entry(m.group(2) + "  ", True) + m.group(2) + "</command:parameters>", block, count=1)
open(path, "w", encoding="utf-8").write(s[:start] + block + s[end:])
print(f"added -{name} to {cmdlet}")
