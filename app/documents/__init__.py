"""Word out: any version of a declaration, and any dossier, as an editable .docx or .odt document."""
