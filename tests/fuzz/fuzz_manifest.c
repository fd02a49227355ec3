/*
 * libFuzzer harness: a tyst-pseudo manifest line, parsed as tyst-code
 * import parses it.  Besides not crashing, a parsed entry must hold only
 * NUL-terminated strings that fit their fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tyst/gate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tyst_manifest_entry e;
	int rc = tyst_manifest_parse((const char *)data, size, &e);

	if (rc == 1) {
		if (strlen(e.sha256) >= sizeof(e.sha256) ||
		    strlen(e.key_id) >= sizeof(e.key_id) ||
		    strlen(e.confidence) >= sizeof(e.confidence))
			abort();
		for (size_t i = 0; i < e.npseudonyms; i++)
			if (e.pseudonyms[i] == NULL ||
			    strlen(e.pseudonyms[i]) > size)
				abort();
	}
	tyst_manifest_entry_free(&e);
	return 0;
}
