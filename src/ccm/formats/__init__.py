"""Date formats per language (settings.FORMAT_MODULE_PATH), overriding only what Django's own
differ from what the Convention's documents write (issue #7): a long date for sentences and
headings (DATE_FORMAT) and an unambiguous short one for tables (SHORT_DATE_FORMAT). French
"juin"/"juil." and Spanish "3 dic 2008", "28 de noviembre de 2026" — never "Jui" or "3 Dic"."""
