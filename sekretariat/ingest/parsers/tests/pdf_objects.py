"""A PDF file built by hand from its objects: for the readers' error tests and the fuzzer's
seeds, which need PDFs that no PDF library would write (encrypted, broken page trees)."""


def pdf_from_objects(objects: list[bytes], root: int = 1, trailer: str = "") -> bytes:
    """A PDF file with a correct xref table from object bodies numbered 1, 2, ...; `trailer`:
    more entries for the trailer dictionary ("/Encrypt 4 0 R /ID [...]")."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    extra = f" {trailer}" if trailer else ""
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R{extra} >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
