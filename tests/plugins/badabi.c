/* A plugin built against a future ABI: agorad must refuse to start with it. */
#include "agora/plugin.h"

static const struct agora_plugin plugin = {AGORA_PLUGIN_ABI + 1, "badabi", 0, 0, 0, 0, 0, 0};

AGORA_PLUGIN_EXPORT const struct agora_plugin *agora_plugin(void)
{
	return &plugin;
}
