#!/usr/bin/env python3
"""Makes en-US/AudioEmbed.PowerShell.dll-Help.xml say what the built module accepts, for every parameter of every
cmdlet, in the syntax items and in the parameters section:
  - a parameter with accepted values (an enum, a ValidateSet, or -Model's catalog families) lists exactly them in a
    parameterValueGroup, so Get-Help shows -Pooling {Mean | Max | None};
  - a switch parameter has no parameterValue, so Get-Help shows [-Force], not [-Force <SwitchParameter>];
  - aliases="..." matches the parameter's aliases.
Usage (after dotnet build): pwsh -NoProfile -File tools/help-metadata.ps1 > meta.json; tools/sync-help-values.py meta.json
The help tests (HelpTruthTests) fail when the help and the module disagree; this script is the quick fix."""
import json, re, sys

path = "en-US/AudioEmbed.PowerShell.dll-Help.xml"
meta = json.load(open(sys.argv[1], encoding="utf-8-sig"))
text = open(path, encoding="utf-8").read()

PARAM = re.compile(r'(?P<indent>[ \t]*)<command:parameter (?P<attrs>[^>]*)>\n(?P<body>.*?)\n(?P=indent)</command:parameter>', re.S)

def fix_param(m, params):
    indent, attrs, body = m.group("indent"), m.group("attrs"), m.group("body")
    name = re.search(r"<maml:name>([^<]+)</maml:name>", body).group(1)
    p = params.get(name)
    if p is None:
        return m.group(0)
    inner = indent + "  "
    body = re.sub(r'\n[ \t]*<command:parameterValueGroup>.*?</command:parameterValueGroup>', "", body, flags=re.S)
    if p["switch"]:
        body = re.sub(r'\n[ \t]*<command:parameterValue [^>]*>SwitchParameter</command:parameterValue>', "", body)
    elif p["values"]:
        group = (f"{inner}<command:parameterValueGroup>\n"
                 + "".join(f'{inner}  <command:parameterValue required="false" command:variableLength="false">{v}</command:parameterValue>\n' for v in p["values"])
                 + f"{inner}</command:parameterValueGroup>\n")
        body, n = re.subn(r'(\n)([ \t]*<command:parameterValue required="true")', lambda mm: "\n" + group + mm.group(2), body, count=1)
        if n == 0:
            body = re.sub(r'(\n)([ \t]*<dev:type>)', lambda mm: "\n" + group + mm.group(2), body, count=1)
    aliases = ", ".join(p["aliases"]) if p["aliases"] else "none"
    attrs = re.sub(r'aliases="[^"]*"', f'aliases="{aliases}"', attrs)
    return f"{indent}<command:parameter {attrs}>\n{body}\n{indent}</command:parameter>"

out, pos = [], 0
for cm in re.finditer(r"<command:command .*?</command:command>", text, re.S):
    block = cm.group(0)
    name = re.search(r"<command:name>([^<]+)</command:name>", block).group(1)
    params = meta.get(name, {})
    block = PARAM.sub(lambda m: fix_param(m, params), block)
    out.append(text[pos:cm.start()]); out.append(block); pos = cm.end()
out.append(text[pos:])
open(path, "w", encoding="utf-8").write("".join(out))
print("synced", ", ".join(meta))
