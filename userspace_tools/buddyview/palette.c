// SPDX-License-Identifier: GPL-2.0
/* Colours by state, order and cache name. */
#include <math.h>
#include <string.h>

#include "palette.h"

static struct rgb mix(struct rgb a, struct rgb b, unsigned int num, unsigned int den)
{
	struct rgb c;

	if (!den)
		return a;
	c.r = (unsigned char)((a.r * (den - num) + b.r * num) / den);
	c.g = (unsigned char)((a.g * (den - num) + b.g * num) / den);
	c.b = (unsigned char)((a.b * (den - num) + b.b * num) / den);
	return c;
}

/*
 * Nine greens from pale to dark, spread over orders 0..max_order, so that
 * neighbouring orders stay distinguishable however large max_order is.
 */
struct rgb palette_free(unsigned int order, unsigned int max_order)
{
	static const struct rgb greens[] = {
		{ 0xe0, 0xf3, 0xdb }, { 0xc2, 0xe6, 0xb8 }, { 0x9f, 0xd6, 0x93 },
		{ 0x78, 0xc6, 0x79 }, { 0x4e, 0xb2, 0x62 }, { 0x2f, 0x98, 0x4f },
		{ 0x1b, 0x7e, 0x3e }, { 0x0b, 0x63, 0x2e }, { 0x00, 0x44, 0x1b },
	};
	unsigned int n = sizeof(greens) / sizeof(greens[0]);

	if (!max_order)
		return greens[n - 1];
	if (order > max_order)
		order = max_order;
	return greens[(order * (n - 1) + max_order / 2) / max_order];
}

struct rgb palette_state(enum pm_state state)
{
	static const struct rgb colours[PM_NR_STATES] = {
		[PM_FREE]	= { 0x41, 0xab, 0x5d },
		[PM_PCP]	= { 0xf2, 0xc9, 0x4c },
		[PM_ALLOC]	= { 0xd7, 0x30, 0x27 },
		[PM_SLAB]	= { 0x8e, 0x7c, 0xc3 },
	};

	return state < PM_NR_STATES ? colours[state] : (struct rgb){ 0, 0, 0 };
}

/* HSL to RGB, hue in degrees, saturation and lightness in percent. */
static struct rgb hsl(unsigned int h, unsigned int s, unsigned int l)
{
	double light = l / 100.0, c = (1.0 - fabs(2.0 * light - 1.0)) * s / 100.0;
	double hp = (h % 360) / 60.0, x = c * (1.0 - fabs(fmod(hp, 2.0) - 1.0));
	double r = 0, g = 0, b = 0, m = light - c / 2.0;

	switch ((int)hp) {
	case 0:
		r = c;
		g = x;
		break;
	case 1:
		r = x;
		g = c;
		break;
	case 2:
		g = c;
		b = x;
		break;
	case 3:
		g = x;
		b = c;
		break;
	case 4:
		r = x;
		b = c;
		break;
	default:
		r = c;
		b = x;
		break;
	}
	return (struct rgb){ (unsigned char)((r + m) * 255.0 + 0.5),
			     (unsigned char)((g + m) * 255.0 + 0.5),
			     (unsigned char)((b + m) * 255.0 + 0.5) };
}

/* FNV-1a: stable across runs, machines and versions. */
static unsigned int name_hash(const char *name)
{
	unsigned int h = 2166136261u;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h;
}

/* Hues 185-335: clear of the greens (free), gold (pcp) and red (alloc). */
struct rgb palette_name(const char *name)
{
	unsigned int h = name_hash(name);

	return hsl(185 + h % 151, 55 + (h >> 8) % 31, 38 + (h >> 16) % 25);
}

struct rgb palette_block(const struct page_map *map, const struct pm_block *b)
{
	if (b->state == PM_FREE)
		return palette_free(b->order, map->max_order);
	if (b->state == PM_SLAB && b->name >= 0)
		return palette_name(map->names[b->name]);
	return palette_state(b->state);
}

struct rgb palette_darker(struct rgb c)
{
	return mix(c, (struct rgb){ 0, 0, 0 }, 1, 3);
}

int palette_xterm(struct rgb c)
{
	int r = (c.r * 5 + 127) / 255, g = (c.g * 5 + 127) / 255, b = (c.b * 5 + 127) / 255;

	return 16 + 36 * r + 6 * g + b;
}

int palette_text_on(struct rgb c)
{
	return c.r * 299 + c.g * 587 + c.b * 114 > 140000 ? 0 : 15;
}
