"""The REST API (``/api/v1/``) for the case systems around Strategise: floor 6, beside the
pages. Endpoints stay thin, as views do: parse, call one selector or service (the same as
the pages), answer. Errors are RFC 9457 problem details (``api.problems``)."""
