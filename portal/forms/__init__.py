"""Forms of the portal core, one module per concern (pages of other apps import the shared pieces from here)."""

from portal.forms.common import AttachmentForm, BootstrapMixin

__all__ = ["AttachmentForm", "BootstrapMixin"]
