"""Stage 3: reading documents — bytes to the text rules see, with a map back to the source.

`text` keeps encodings, BOMs and line endings so that a fix writes back exactly what it
read; `markup` hides what is not prose (Markdown code and links); `docx` reads Word files.
"""

from speechlint.documents.text import BinaryFileError, Document, DocumentError, Encoding, decode_bytes

__all__ = ["BinaryFileError", "Document", "DocumentError", "Encoding", "decode_bytes"]
