"""One-time form keys: a create form sent twice (a double click, a resent page, two tabs) makes one object,
and the repeat is answered as the first was."""
