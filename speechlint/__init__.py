"""speechlint: content hygiene for Chinese official documents (讲话稿, 报告, 公文)."""

__version__ = "0.1.0"
