"""Import a directive from pasted text (NĐ 30/2020 format): propose every field, invent none.

One job per module: `normalise` (clean the paste), `header` (issuer, number/symbol, place/date, type, subject),
`recipients` (Kính gửi), `references` (Thực hiện/Căn cứ …), `assignments` (numbered sections → tasks),
`deadlines` (deadline phrases), `signature` (TM./KT./… block), `matching` (agency directory), and `parse`
(the entry point `parse_directive`).
"""

from directives.importer.parse import ParsedDirective, parse_directive

__all__ = ["ParsedDirective", "parse_directive"]
