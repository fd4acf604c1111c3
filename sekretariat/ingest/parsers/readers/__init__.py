"""One reader per file format; each turns bytes into a ParsedDocument."""
