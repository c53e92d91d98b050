# SQLite insert cost of the Contacts table under different index sets, outside the app (BENCHMARKS.md, "Upload (issue 4):
# one phone index", 2026-11-28). Python's sqlite3 over the table as migrated: WAL, synchronous = NORMAL, a 64 MB page
# cache, 1,000,000 rows with v7-style text keys and random US phones, committed every B rows (default 50,000).
#
#   python3 bench/experiments/contacts_indexes.py <variant> [rows]     (B=200000 python3 … to change the batch)
#
# variant: base (the two phone indexes of before b2ad42f), merge (one unique (PhoneE164, CampaignId), as now), org3 (one
# unique (OrganizationId, PhoneE164, CampaignId)); add -partial for partial assignment/texter indexes, -noci to drop
# (CampaignId, Id), -sorted to insert each batch in phone order, -wr for a WITHOUT ROWID table.
import sqlite3, os, random, time, uuid, sys
variant = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 1000000
path = os.path.join(os.environ.get('TMPDIR', '/tmp'), 'contacts_indexes.db')
for s in ['', '-wal', '-shm']:
    if os.path.exists(path+s): os.remove(path+s)
db = sqlite3.connect(path, isolation_level=None)
db.execute('pragma journal_mode=wal'); db.execute('pragma synchronous=normal'); db.execute('pragma cache_size=-65536')
wr = ' WITHOUT ROWID' if 'wr' in variant else ''
db.execute('''CREATE TABLE "Contacts" ("Id" TEXT NOT NULL PRIMARY KEY, "OrganizationId" TEXT NOT NULL, "CampaignId" TEXT NOT NULL, "PhoneE164" TEXT NOT NULL,
 "FirstName" TEXT NOT NULL, "LastName" TEXT NOT NULL, "Zip" TEXT NOT NULL, "ExternalId" TEXT NOT NULL, "CustomFields" TEXT NOT NULL, "TimeZones" TEXT NOT NULL,
 "TimeZoneSource" TEXT NOT NULL, "State" TEXT NULL, "ImportId" TEXT NULL, "CreatedUtc" TEXT NOT NULL, "BadNumber" INTEGER NOT NULL DEFAULT 0,
 "ConversationStatus" INTEGER NOT NULL DEFAULT 0, "LastInboundUtc" TEXT NULL, "LastMessageUtc" TEXT NULL, "SenderNumber" TEXT NULL, "TexterUserId" TEXT NULL,
 "AssignmentId" TEXT NULL, "BatchId" TEXT NULL, "Escalated" INTEGER NOT NULL DEFAULT 0, "EscalationReason" TEXT NULL, "Tags" TEXT NOT NULL DEFAULT '[]')''' + wr)
if 'org3' in variant:
    db.execute('CREATE UNIQUE INDEX u ON Contacts (OrganizationId, PhoneE164, CampaignId)')
elif 'merge' in variant:
    db.execute('CREATE UNIQUE INDEX u ON Contacts (PhoneE164, CampaignId)')
else:
    db.execute('CREATE UNIQUE INDEX u ON Contacts (CampaignId, PhoneE164)')
    db.execute('CREATE INDEX op ON Contacts (OrganizationId, PhoneE164)')
part = 'partial' in variant
db.execute('CREATE INDEX a ON Contacts (AssignmentId, ConversationStatus)' + (' WHERE AssignmentId IS NOT NULL' if part else ''))
db.execute('CREATE INDEX ca ON Contacts (CampaignId, AssignmentId, ConversationStatus)')
db.execute('CREATE INDEX ot ON Contacts (OrganizationId, TexterUserId, ConversationStatus)' + (' WHERE TexterUserId IS NOT NULL' if part else ''))
if 'noci' not in variant:
    db.execute('CREATE INDEX ci ON Contacts (CampaignId, Id)')
db.execute('CREATE INDEX cs ON Contacts (CampaignId, ConversationStatus, LastMessageUtc)')
B=int(os.environ.get('B','50000'))
random.seed(1)
org = str(uuid.uuid4()).upper(); camp = str(uuid.uuid4()).upper(); imp = str(uuid.uuid4()).upper()
rows = []
base = int(time.time()*1000)
for i in range(N):
    ms = base + i // 50
    u = '%012x' % ms + '7' + '%03x' % random.getrandbits(12) + '%016x' % ((random.getrandbits(62)) | (2 << 62))
    u = u.upper(); u = u[:8]+'-'+u[8:12]+'-'+u[12:16]+'-'+u[16:20]+'-'+u[20:]
    rows.append((u, org, camp, '+1%d%07d' % (random.randint(201, 989), random.randint(2000000, 9999999)), 'First%d' % i, 'Last%d' % i, '%05d' % random.randint(10000, 99999),
                 'VAN%d' % i, '{"Polling Place":"School %d","Precinct":"P-%d","Volunteer Status":"yes"}' % (i % 500, i % 2000), 'America/New_York', 'Zip', 'NY', imp, '2026-11-28 03:00:00.1234567'))
sql = 'INSERT INTO Contacts (Id, OrganizationId, CampaignId, PhoneE164, FirstName, LastName, Zip, ExternalId, CustomFields, TimeZones, TimeZoneSource, State, ImportId, CreatedUtc) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING'
t = time.time()
for b in range(0, N, B):
    db.execute('BEGIN')
    chunk = rows[b:b+B]
    if 'sorted' in variant: chunk = sorted(chunk, key=lambda r: r[3])
    db.executemany(sql, chunk)
    db.execute('COMMIT')
print(variant, '%.1f s' % (time.time() - t), os.path.getsize(path) // 2**20, 'MB')
