"""Enterprise registry: credit codes, enterprises, figures by period, the indicator catalogue."""
