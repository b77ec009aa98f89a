"""What is stored of the secrets Sanad emails (single-use links): a hash, never the token itself."""
import hashlib


def token_hash(token: str) -> str:
    """What is stored of an emailed single-use token: its SHA-256, so a leaked database leaks no usable link."""
    return hashlib.sha256((token or "").encode()).hexdigest()
