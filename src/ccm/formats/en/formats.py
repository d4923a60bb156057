# UN style: "28 November 2026"; tables "28 Nov 2026".
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
