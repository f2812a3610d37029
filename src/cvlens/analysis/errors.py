"""Typed errors for input the engine refuses; each carries a plain message for people."""

from __future__ import annotations


class AnalysisError(Exception):
    """Base for every refusal of the engine. `code` is stable; `str(err)` is for people."""

    code = "analysis_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EmptyFileError(AnalysisError):
    code = "empty_file"


class UnsupportedFormatError(AnalysisError):
    code = "unsupported_format"


class CorruptFileError(AnalysisError):
    code = "corrupt_file"


class EncryptedFileError(AnalysisError):
    code = "encrypted_file"


class NoTextLayerError(AnalysisError):
    code = "no_text_layer"


class TooManyPagesError(AnalysisError):
    code = "too_many_pages"


class FileTooLargeError(AnalysisError):
    """Also raised for DOCX zip bombs (uncompressed size over the cap)."""

    code = "file_too_large"
