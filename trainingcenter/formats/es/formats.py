# Dates in Spanish as written in the United States (CLDR es-US): "4 de diciembre de 2026",
# 24-hour times; numbers and money as in es-US ($14,950.50). Same names as ../en/formats.py.
DATE_FORMAT = r"j \d\e F \d\e Y"  # 4 de diciembre de 2026
SHORT_DATE_FORMAT = "j b Y"  # 4 dic 2026
MONTH_DAY_FORMAT = "j b"  # 4 dic
YEAR_MONTH_FORMAT = r"F \d\e Y"  # diciembre de 2026
TIME_FORMAT = "H:i"  # 09:30
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
WEEKDAY_DATE_FORMAT = r"l, j \d\e F \d\e Y"  # lunes, 4 de enero de 2027
WEEKDAY_MONTH_DAY_FORMAT = r"l, j \d\e F"  # lunes, 4 de enero
WEEKDAY_DATETIME_FORMAT = r"l, j \d\e F \d\e Y, H:i T"
SHORT_WEEKDAY_DATE_FORMAT = "D, j b Y"  # lun, 4 ene 2027
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
