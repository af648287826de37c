"""Render terraform/policies/*.tftpl the way Terraform's templatefile() does,
for the small subset of the template language those files may use:

  ${name}                     interpolation of a string argument
  %{ if name }...%{ endif }   a block kept when the bool argument is true
  %{ if !name }...%{ endif }  a block kept when it is false
  $${  %%{                    literal "${" and "%{"

Anything else (functions, for loops, else branches, nested ifs, ~ strip
markers, an argument without a value) is an error, so a template that grows
beyond this subset fails the tests instead of being rendered wrongly.
"""

import re

_IF = re.compile(r"%\{\s*if\s+(!?)([A-Za-z_][A-Za-z0-9_]*)\s*\}")
_ENDIF = re.compile(r"%\{\s*endif\s*\}")
_INTERP = re.compile(r"(?<!\$)\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}")


class TemplateError(ValueError):
    """The template uses syntax outside the supported subset, or lacks an argument."""


def names(text):
    """@return the set of argument names the template refers to."""
    return {m.group(2) for m in _IF.finditer(text)} | {m.group(1) for m in _INTERP.finditer(text)}


def render(text, args):
    """Render @p text with the dict @p args (str values, bool for if-conditions)."""
    out = []
    pos = 0
    while True:
        m = _IF.search(text, pos)
        if m is None:
            out.append(text[pos:])
            break
        out.append(text[pos : m.start()])
        end = _ENDIF.search(text, m.end())
        if end is None:
            raise TemplateError(f"%{{ if {m.group(2)} }} without %{{ endif }}")
        body = text[m.end() : end.start()]
        if "%{" in body.replace("%%{", ""):
            raise TemplateError("nested directives or %{ else } are not supported")
        name = m.group(2)
        if name not in args:
            raise TemplateError(f"no value for {name}")
        if not isinstance(args[name], bool):
            raise TemplateError(f"{name} must be a bool in an if")
        if args[name] != (m.group(1) == "!"):
            out.append(body)
        pos = end.end()
    text = "".join(out)

    def interp(m):
        name = m.group(1)
        if name not in args:
            raise TemplateError(f"no value for {name}")
        value = args[name]
        if isinstance(value, bool):
            return "true" if value else "false"
        if not isinstance(value, (str, int)):
            raise TemplateError(f"{name} must be a string or number")
        return str(value)

    text = _INTERP.sub(interp, text)
    leftover = re.search(r"(?<![$%])[$%]\{", text)
    if leftover:
        raise TemplateError(f"unsupported template syntax near: {text[leftover.start():leftover.start() + 40]!r}")
    return text.replace("$${", "${").replace("%%{", "%{")
