"""The one description of the Open API that the documentation pages, the OpenAPI document,
the Postman collection and the tests read."""

from .examples import BY_KEY as EXAMPLES_BY_KEY
from .examples import CALLBACK, EXAMPLES
from .model import Example, Field, Operation
from .operations import BY_KEY as OPERATIONS_BY_KEY
from .operations import CALLBACK_FIELDS, OPERATIONS
from .revisions import REVISIONS

__all__ = [
    "CALLBACK",
    "CALLBACK_FIELDS",
    "EXAMPLES",
    "EXAMPLES_BY_KEY",
    "OPERATIONS",
    "OPERATIONS_BY_KEY",
    "REVISIONS",
    "Example",
    "Field",
    "Operation",
]
