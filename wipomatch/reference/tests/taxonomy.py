"""The vocabulary the tests expect taxonomy.json to hold, written out (not read from the file)."""

THEMES = {
    "food-security-agriculture",
    "public-health",
    "green-innovation",
    "ip-management",
    "creative-industries",
    "other",
}
