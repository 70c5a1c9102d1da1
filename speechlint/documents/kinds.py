"""Kinds of line a document may give its paragraphs (Word: where a paragraph sits), shared by the
readers that set them and the rules that read them, without importing any reader."""

WATERMARK = "水印"  # the kind of a paragraph that is a watermark shape's text
