-- Takes a new project back to schema 2 (what tyst before schema 3 made),
-- for the tests of the upgrade: the reverse of upgrade_3 in
-- lib/coding/project.c.
DROP TABLE journals;
DROP TABLE annotations;
DROP TABLE document_attributes;
DROP TABLE code_set_members;
DROP TABLE code_sets;
DROP TABLE code_examples;
ALTER TABLE cases DROP COLUMN description;
ALTER TABLE cases DROP COLUMN guid;
ALTER TABLE documents DROP COLUMN guid;
ALTER TABLE coders DROP COLUMN guid;
ALTER TABLE codes DROP COLUMN guid;
PRAGMA user_version = 2;
