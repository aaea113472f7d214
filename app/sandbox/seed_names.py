"""Word lists for the demo seed. Company names are invented."""

from __future__ import annotations

FIRST_NAMES = (
    "Aaron", "Abigail", "Adrian", "Aisha", "Alejandro", "Alice", "Andre", "Anna", "Arjun",
    "Beatrice", "Benjamin", "Camille", "Carlos", "Caroline", "Chen", "Chloe", "Claire",
    "Daniela", "David", "Diana", "Elena", "Elliot", "Emeka", "Emily", "Ethan", "Fatima",
    "Felix", "Fiona", "Gabriel", "Hana", "Henry", "Imani", "Isaac", "Isabel", "Jack",
    "James", "Javier", "Julia", "Kenji", "Laura", "Leah", "Lena", "Lucas", "Maya",
    "Michael", "Mina", "Nadia", "Nathan", "Nina", "Noah", "Olivia", "Omar", "Paul",
    "Rachel", "Ravi", "Rebecca", "Samuel", "Sara", "Thomas", "Valentina", "Victor",
    "William", "Yara", "Zoe",
)  # fmt: skip

LAST_NAMES = (
    "Abbott", "Adeyemi", "Alvarez", "Andersson", "Baker", "Banerjee", "Bennett", "Brooks",
    "Campbell", "Castillo", "Chang", "Clarke", "Costa", "Dubois", "Ellison", "Fischer",
    "Fitzgerald", "Foster", "Garcia", "Goldberg", "Hayes", "Hoffman", "Ibrahim", "Jensen",
    "Kapoor", "Keller", "Kim", "Kowalski", "Larsen", "Lee", "Lopez", "Martin", "Meyer",
    "Murphy", "Nakamura", "Nguyen", "Novak", "O'Brien", "Osei", "Park", "Patel", "Petrov",
    "Quinn", "Reyes", "Richter", "Rossi", "Santos", "Schmidt", "Shah", "Silva", "Sullivan",
    "Tanaka", "Thompson", "Van Dijk", "Vargas", "Walsh", "Weber", "Wright", "Young", "Zhang",
)  # fmt: skip

COMPANIES = (
    "Alderbrook Partners", "Atlas Robotics", "Bluefin Analytics", "Brightwater Foods",
    "Cedar Ridge Health", "Cobalt Energy", "Crestline Retail", "Driftwood Media",
    "Evergreen Pharma", "Falcon Aerospace", "Granite Insurance", "Helios Health",
    "Ironbridge Capital", "Juniper Telecom", "Keystone Mining", "Lumen Semiconductors",
    "Meridian Capital", "Northwind Logistics", "Oakmont Hotels", "Pinecrest Bank",
    "Quillon Software", "Redpine Manufacturing", "Silverline Freight", "Sterling Biotech",
    "Tidewater Shipping", "Umbra Security", "Verdant Agritech", "Westgate Properties",
)  # fmt: skip

TITLES = (
    "Chief Executive Officer", "Chief Financial Officer", "Chief Operating Officer",
    "Chief Technology Officer", "Chief People Officer", "Chief Marketing Officer",
    "Chief Revenue Officer", "General Counsel", "VP Finance", "VP Engineering",
    "VP Operations", "VP Sales", "SVP Strategy", "Managing Director", "Group Controller",
    "Head of Talent", "Head of Product", "Director of Finance", "Treasurer",
    "Non-Executive Director", "President", "Country Manager",
)  # fmt: skip

NOTE_SNIPPETS = (
    ("Call", "Intro call. Open to hearing about senior finance roles; prefers hybrid."),
    ("Call", "Left a voicemail; will try again next week."),
    ("Meeting", "Coffee meeting. Strong operator, led two carve-outs."),
    ("Overview", "Sees herself as a COO-to-CEO candidate within two years."),
    ("Assessment", "Excellent stakeholder management; light on M&A experience."),
    ("Reference", "Former board chair speaks highly of the turnaround work."),
    ("Follow Up", "Send the role specification once the client signs off."),
    ("Internal", "Client asked us not to approach anyone at their main competitor."),
)  # fmt: skip
