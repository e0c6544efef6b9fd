"""Old address of the strict validators (now ``security.logic.validators``), kept only until the
other capabilities switch their imports at the issue-11 merge; delete it then."""
from ckanext.splpdepok.security.logic.validators import bad_text

__all__ = ["bad_text"]
