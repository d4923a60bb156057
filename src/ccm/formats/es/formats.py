# «28 de noviembre de 2026»; tablas «3 dic 2008», «24 jun 2025» (abreviaturas de tres letras).
DATE_FORMAT = r"j \d\e F \d\e Y"
SHORT_DATE_FORMAT = "j b Y"
