# « 28 novembre 2026 » ; tableaux « 24 juin 2025 », « 24 juil. 2025 » (abréviations usuelles).
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j N Y"
