#include "fat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

#define MAX_READ_BYTES (64u * 1024u)  // one READ(10) at most: what a USB stick's driver usually asks
#define NO_SECTOR 0xFFFFFFFFu
#define ATTR_LONG_NAME 0x0F

static uint16_t le16(const uint8_t *at) { return (uint16_t)(at[0] | at[1] << 8); }
static uint32_t le32(const uint8_t *at) { return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24; }

// Reads COUNT volume sectors from SECTOR, in READ(10)s of at most MAX_READ_BYTES.
static int read_sectors(msc_fat *fat, uint32_t sector, uint32_t count, uint8_t *data) {
    if ((uint64_t)sector + count > fat->total_sectors)
        return msc_error("the file system points past its volume (sector %u of %u): it is corrupt", sector + count - 1, fat->total_sectors);
    uint64_t block = fat->volume_start + (uint64_t)sector * fat->blocks_per_sector;
    uint64_t blocks = (uint64_t)count * fat->blocks_per_sector;
    uint32_t per_read = MAX_READ_BYTES / fat->disk->block_size;
    if (per_read == 0) per_read = 1;
    while (blocks > 0) {
        uint32_t now = blocks < per_read ? (uint32_t)blocks : per_read;
        if (block + now > 0xFFFFFFFFull) return msc_error("block %llu is beyond READ(10)'s reach", (unsigned long long)block);
        if (msc_scsi_read(fat->disk, (uint32_t)block, (uint16_t)now, data) != 0) return -1;
        data += (size_t)now * fat->disk->block_size;
        block += now;
        blocks -= now;
    }
    return 0;
}

static int is_power_of_two(uint32_t value) { return value != 0 && (value & (value - 1)) == 0; }

// A boot sector with a BPB that makes sense (the specification's own recognition rules, loosely).
static int looks_like_bpb(const uint8_t *sector) {
    if (sector[510] != 0x55 || sector[511] != 0xAA) return 0;
    if (!(sector[0] == 0xEB && sector[2] == 0x90) && sector[0] != 0xE9) return 0;
    uint32_t bytes = le16(sector + 11);
    if (bytes != 512 && bytes != 1024 && bytes != 2048 && bytes != 4096) return 0;
    if (!is_power_of_two(sector[13])) return 0;
    if (le16(sector + 14) == 0 || sector[16] == 0) return 0;
    return le16(sector + 19) != 0 || le32(sector + 32) != 0;
}

static int is_fat_partition_type(uint8_t type) {
    switch (type) {
    case 0x01: case 0x04: case 0x06: case 0x0B: case 0x0C: case 0x0E:
    case 0x11: case 0x14: case 0x16: case 0x1B: case 0x1C: case 0x1E:
        return 1;
    default:
        return 0;
    }
}

static void copy_label(char *to, const uint8_t *from, int length) {
    memcpy(to, from, (size_t)length);
    to[length] = 0;
    for (int i = 0; i < length; i++)
        if ((unsigned char)to[i] < 0x20 || (unsigned char)to[i] > 0x7E) to[i] = '?';
    for (int i = length - 1; i >= 0 && to[i] == ' '; i--) to[i] = 0;
}

static int parse_bpb(msc_fat *fat, const uint8_t *bpb, uint64_t disk_blocks) {
    uint32_t bytes = le16(bpb + 11);
    if (bytes % fat->disk->block_size != 0)
        return msc_error("the volume's %u-byte sectors are not whole %u-byte disk blocks", bytes, fat->disk->block_size);
    fat->bytes_per_sector = bytes;
    fat->blocks_per_sector = bytes / fat->disk->block_size;
    fat->sectors_per_cluster = bpb[13];
    fat->cluster_bytes = bytes * bpb[13];
    if (fat->cluster_bytes > 64u * 1024u) return msc_error("the volume's clusters of %u bytes are larger than FAT allows (64 KiB)", fat->cluster_bytes);
    uint32_t reserved = le16(bpb + 14), fats = bpb[16], root_entries = le16(bpb + 17);
    uint32_t total = le16(bpb + 19) != 0 ? le16(bpb + 19) : le32(bpb + 32);
    uint32_t fat_size = le16(bpb + 22) != 0 ? le16(bpb + 22) : le32(bpb + 36);
    if (fat_size == 0) return msc_error("not a FAT volume: the BPB gives the FAT no sectors");
    fat->root_sectors = (root_entries * 32 + bytes - 1) / bytes;
    uint64_t data_start = (uint64_t)reserved + (uint64_t)fats * fat_size + fat->root_sectors;
    if (data_start >= total) return msc_error("not a FAT volume: its FATs and root directory fill all of its %u sectors", total);
    fat->cluster_count = (total - (uint32_t)data_start) / fat->sectors_per_cluster;
    if (fat->cluster_count < 4085) return msc_error("the volume is FAT12 (%u clusters); only FAT16 and FAT32 are read", fat->cluster_count);
    fat->type = fat->cluster_count < 65525 ? 16 : 32;
    fat->total_sectors = total;
    fat->fat_sectors = fat_size;
    fat->fat_start = reserved;
    fat->root_start = reserved + fats * fat_size;
    fat->data_start = (uint32_t)data_start;
    if (fat->volume_start + (uint64_t)total * fat->blocks_per_sector > disk_blocks)
        return msc_error("the FAT%d volume's %u sectors run past the end of the disk", fat->type, total);
    // The FAT must hold an entry for every cluster.
    if ((uint64_t)(fat->cluster_count + 2) * (fat->type == 16 ? 2 : 4) > (uint64_t)fat_size * bytes)
        return msc_error("not a FAT volume: its FAT of %u sectors is too small for %u clusters", fat_size, fat->cluster_count);
    copy_label(fat->oem, bpb + 3, 8);
    strcpy(fat->label, "");
    if (fat->type == 16) {
        if (root_entries == 0) return msc_error("not a FAT16 volume: it has FAT16's cluster count but no root directory entries");
        if (bpb[38] == 0x29) {
            fat->serial = le32(bpb + 39);
            copy_label(fat->label, bpb + 43, 11);
        }
    } else {
        if (root_entries != 0 || le16(bpb + 22) != 0) return msc_error("not a FAT32 volume: FAT32's cluster count but FAT16's root directory or FAT size");
        uint16_t flags = le16(bpb + 40);
        // Mirroring off: only the active FAT is current.
        if (flags & 0x80) {
            if ((flags & 0x0F) >= fats) return msc_error("the FAT32 BPB names FAT %u active of %u", flags & 0x0F, fats);
            fat->fat_start += (flags & 0x0F) * fat_size;
        }
        fat->root_cluster = le32(bpb + 44);
        if (fat->root_cluster < 2 || fat->root_cluster >= fat->cluster_count + 2)
            return msc_error("the FAT32 root directory's cluster %u is not on the volume", fat->root_cluster);
        if (bpb[66] == 0x29) {
            fat->serial = le32(bpb + 67);
            copy_label(fat->label, bpb + 71, 11);
        }
    }
    if (strcmp(fat->label, "NO NAME") == 0) fat->label[0] = 0;
    return 0;
}

static int list_directory(msc_fat *fat, const msc_fat_entry *dir, msc_fat_visit visit, void *context, char *label);
static int ignore_entry(void *context, const msc_fat_entry *entry);

int msc_fat_mount(msc_fat *fat, msc_disk *disk) {
    memset(fat, 0, sizeof *fat);
    fat->disk = disk;
    fat->fat_cache_sector = NO_SECTOR;
    if (disk->block_size < 512) return msc_error("the disk's %u-byte blocks are too small for a boot sector", disk->block_size);
    uint8_t *block = malloc(disk->block_size);
    if (block == NULL) return msc_error("out of memory");
    int result = -1;
    if (msc_scsi_read(disk, 0, 1, block) != 0) goto done;
    if (looks_like_bpb(block)) {
        fat->volume_start = 0;
        fat->partition = 0;
    } else if (memcmp(block + 3, "EXFAT   ", 8) == 0 || memcmp(block + 3, "NTFS    ", 8) == 0) {
        // Their boot sectors end in 55 AA too; their boot code is no partition table.
        msc_error("not a FAT disk: the volume is %s (only FAT16 and FAT32 are read)", block[3] == 'E' ? "exFAT" : "NTFS");
        goto done;
    } else if (block[510] == 0x55 && block[511] == 0xAA) {
        char types[64] = "";
        size_t used = 0;
        int found = 0;
        for (int i = 0; i < 4 && !found; i++) {
            const uint8_t *entry = block + 446 + 16 * i;
            uint8_t type = entry[4];
            if (type == 0) continue;
            if (type == 0xEE) {
                msc_error("not a FAT disk: it has a GPT partition table (only MBR partitions and bare volumes are read)");
                goto done;
            }
            used += (size_t)snprintf(types + used, sizeof types - used, "%s0x%02X", used ? ", " : "", type);
            if (is_fat_partition_type(type) && le32(entry + 12) != 0) {
                fat->volume_start = le32(entry + 8);
                fat->partition = i + 1;
                found = 1;
            }
        }
        if (!found) {
            msc_error(used ? "not a FAT disk: the MBR has no FAT partition (partition types %s)" : "not a FAT disk: the MBR has no partitions%s", types);
            goto done;
        }
        if (fat->volume_start >= disk->block_count) {
            msc_error("MBR partition %d starts at block %llu, beyond the disk's %llu blocks", fat->partition,
                      (unsigned long long)fat->volume_start, (unsigned long long)disk->block_count);
            goto done;
        }
        if (msc_scsi_read(disk, (uint32_t)fat->volume_start, 1, block) != 0) goto done;
        if (!looks_like_bpb(block)) {
            msc_error("not a FAT volume: MBR partition %d (at block %llu) has no FAT boot sector", fat->partition, (unsigned long long)fat->volume_start);
            goto done;
        }
    } else {
        msc_error("not a FAT disk: block 0 has neither a FAT boot sector nor an MBR (no 55 AA signature)");
        goto done;
    }
    // The BPB lives in the volume's first sector; a disk block of 512 bytes holds all of it.
    if (parse_bpb(fat, block, disk->block_count) != 0) goto done;
    fat->fat_cache = malloc(fat->bytes_per_sector);
    if (fat->fat_cache == NULL) {
        msc_error("out of memory");
        goto done;
    }
    // The root directory's volume-label entry is what Windows and mtools show; the BPB's copy may be stale.
    msc_fat_entry root = {.attributes = MSC_FAT_ATTR_DIRECTORY, .is_root = 1};
    root.first_cluster = fat->type == 32 ? fat->root_cluster : 0;
    strcpy(root.name, "/");
    if (list_directory(fat, &root, ignore_entry, NULL, fat->label) < 0) goto done;
    if (strcmp(fat->label, "NO NAME") == 0) fat->label[0] = 0;
    result = 0;
done:
    free(block);
    if (result != 0) {
        free(fat->fat_cache);
        fat->fat_cache = NULL;
    }
    return result;
}

void msc_fat_unmount(msc_fat *fat) {
    free(fat->fat_cache);
    fat->fat_cache = NULL;
}

// The FAT entry of CLUSTER: the next cluster, or >= 0x0FFFFFF8 at the end of the chain (FAT16's
// end marks are widened to FAT32's so callers compare once).
static int next_cluster(msc_fat *fat, uint32_t cluster, uint32_t *next) {
    uint32_t offset = cluster * (fat->type == 16 ? 2u : 4u);
    uint32_t sector = fat->fat_start + offset / fat->bytes_per_sector;
    if (sector != fat->fat_cache_sector) {
        fat->fat_cache_sector = NO_SECTOR;
        if (read_sectors(fat, sector, 1, fat->fat_cache) != 0) return -1;
        fat->fat_cache_sector = sector;
    }
    const uint8_t *at = fat->fat_cache + offset % fat->bytes_per_sector;
    uint32_t value;
    if (fat->type == 16) {
        value = le16(at);
        if (value >= 0xFFF7) value |= 0x0FFF0000;
    } else {
        value = le32(at) & 0x0FFFFFFF;
    }
    *next = value;
    return 0;
}

static int end_of_chain(uint32_t value) { return value >= 0x0FFFFFF8; }

// Follows the chain from CLUSTER one step, checking it: 1 with *next a data cluster, 0 at its end, -1 corrupt.
static int follow(msc_fat *fat, uint32_t cluster, uint32_t *next) {
    if (next_cluster(fat, cluster, next) != 0) return -1;
    if (end_of_chain(*next)) return 0;
    if (*next == 0x0FFFFFF7) return msc_error("the cluster chain reaches bad cluster mark after cluster %u: the FAT is corrupt", cluster);
    if (*next < 2 || *next >= fat->cluster_count + 2)
        return msc_error("the cluster chain goes from cluster %u to %u, which is not a data cluster: the FAT is corrupt", cluster, *next);
    return 1;
}

static int check_cluster(msc_fat *fat, uint32_t cluster) {
    if (cluster < 2 || cluster >= fat->cluster_count + 2) return msc_error("cluster %u is not a data cluster of the volume: it is corrupt", cluster);
    return 0;
}

static uint32_t cluster_sector(const msc_fat *fat, uint32_t cluster) { return fat->data_start + (cluster - 2) * fat->sectors_per_cluster; }

// ---- directories ------------------------------------------------------------------------------

static uint8_t short_name_checksum(const uint8_t *name) {
    uint8_t sum = 0;
    for (int i = 0; i < 11; i++) sum = (uint8_t)(((sum & 1) ? 0x80 : 0) + (sum >> 1) + name[i]);
    return sum;
}

// 8.3 as Windows shows it: lower case where the NT flags (byte 12) say so, bytes outside ASCII as '?'.
static void format_short_name(char *to, const uint8_t *entry) {
    int length = 0;
    uint8_t flags = entry[12];
    for (int i = 0; i < 8 && entry[i] != ' '; i++) {
        uint8_t c = (i == 0 && entry[0] == 0x05) ? 0xE5 : entry[i];
        if (c >= 0x80) c = '?';
        else if ((flags & 0x08) && c >= 'A' && c <= 'Z') c = (uint8_t)(c + 32);
        to[length++] = (char)c;
    }
    if (entry[8] != ' ') {
        to[length++] = '.';
        for (int i = 8; i < 11 && entry[i] != ' '; i++) {
            uint8_t c = entry[i];
            if (c >= 0x80) c = '?';
            else if ((flags & 0x10) && c >= 'A' && c <= 'Z') c = (uint8_t)(c + 32);
            to[length++] = (char)c;
        }
    }
    to[length] = 0;
}

static size_t put_utf8(char *to, uint32_t code) {
    if (code < 0x80) {
        to[0] = (char)code;
        return 1;
    }
    if (code < 0x800) {
        to[0] = (char)(0xC0 | code >> 6);
        to[1] = (char)(0x80 | (code & 0x3F));
        return 2;
    }
    if (code < 0x10000) {
        to[0] = (char)(0xE0 | code >> 12);
        to[1] = (char)(0x80 | ((code >> 6) & 0x3F));
        to[2] = (char)(0x80 | (code & 0x3F));
        return 3;
    }
    to[0] = (char)(0xF0 | code >> 18);
    to[1] = (char)(0x80 | ((code >> 12) & 0x3F));
    to[2] = (char)(0x80 | ((code >> 6) & 0x3F));
    to[3] = (char)(0x80 | (code & 0x3F));
    return 4;
}

// UTF-16 (ending at a 0 unit or after COUNT units) to UTF-8; a lone surrogate becomes U+FFFD.
static void utf16_to_utf8(char *to, size_t room, const uint16_t *units, int count) {
    size_t length = 0;
    for (int i = 0; i < count && units[i] != 0; i++) {
        uint32_t code = units[i];
        if (code >= 0xD800 && code <= 0xDBFF && i + 1 < count && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF) {
            code = 0x10000 + ((code - 0xD800) << 10) + (units[i + 1] - 0xDC00);
            i++;
        } else if (code >= 0xD800 && code <= 0xDFFF) {
            code = 0xFFFD;
        }
        if (length + 4 >= room) break;
        length += put_utf8(to + length, code);
    }
    to[length] = 0;
}

typedef struct long_name {
    uint16_t units[20 * 13];
    int expected;  // the sequence number the next LFN entry must have; 0 when complete; -1 when none
    int count;     // entries in the set
    uint8_t checksum;
} long_name;

// One 32-byte slot; 0 to go on, 1 when the visitor stopped, 2 at the end of the directory, -1 error.
static int directory_slot(const msc_fat *fat, const uint8_t *slot, long_name *lfn, msc_fat_visit visit, void *context, char *label) {
    if (slot[0] == 0x00) return 2;
    if (slot[0] == 0xE5) {
        lfn->expected = -1;
        return 0;
    }
    uint8_t attributes = slot[11];
    if ((attributes & 0x3F) == ATTR_LONG_NAME) {
        int sequence = slot[0] & 0x1F;
        if (slot[0] & 0x40) {
            if (sequence == 0 || sequence > 20) {
                lfn->expected = -1;
                return 0;
            }
            memset(lfn->units, 0, sizeof lfn->units);
            lfn->count = sequence;
            lfn->checksum = slot[13];
            lfn->expected = sequence;
        }
        if (lfn->expected <= 0 || sequence != lfn->expected || slot[13] != lfn->checksum) {
            lfn->expected = -1;
            return 0;
        }
        static const int offsets[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
        uint16_t *units = lfn->units + (sequence - 1) * 13;
        for (int i = 0; i < 13; i++) units[i] = le16(slot + offsets[i]);
        lfn->expected = sequence - 1;
        return 0;
    }
    int had_long_name = lfn->expected == 0 && short_name_checksum(slot) == lfn->checksum;
    lfn->expected = -1;
    if (attributes & MSC_FAT_ATTR_VOLUME_ID) {
        if (label != NULL && (attributes & MSC_FAT_ATTR_DIRECTORY) == 0) copy_label(label, slot, 11);
        return 0;
    }
    if (slot[0] == '.' && (slot[1] == ' ' || (slot[1] == '.' && slot[2] == ' '))) return 0;

    msc_fat_entry entry;
    memset(&entry, 0, sizeof entry);
    format_short_name(entry.short_name, slot);
    if (had_long_name) {
        int units = lfn->count * 13;
        // 0xFFFF pads the last entry after its terminating 0.
        for (int i = 0; i < units; i++)
            if (lfn->units[i] == 0xFFFF) lfn->units[i] = 0;
        utf16_to_utf8(entry.name, sizeof entry.name, lfn->units, units);
    }
    if (entry.name[0] == 0) strcpy(entry.name, entry.short_name);
    entry.attributes = attributes;
    // FAT16 has no high word (OS/2 kept extended-attribute handles there): only FAT32 reads it.
    entry.first_cluster = (fat->type == 32 ? (uint32_t)le16(slot + 20) << 16 : 0) | le16(slot + 26);
    entry.size = le32(slot + 28);
    entry.time = le16(slot + 22);
    entry.date = le16(slot + 24);
    return visit(context, &entry);
}

// Lists DIR; LABEL, when not null, receives the text of a volume-label entry.
static int list_directory(msc_fat *fat, const msc_fat_entry *dir, msc_fat_visit visit, void *context, char *label) {
    if (!msc_fat_is_directory(dir)) return msc_error("%s is not a directory", dir->name);
    long_name *lfn = malloc(sizeof *lfn);
    uint32_t unit = fat->cluster_bytes;
    uint8_t *buffer = malloc(unit);
    int result = -1;
    if (lfn == NULL || buffer == NULL) {
        msc_error("out of memory");
        goto done;
    }
    lfn->expected = -1;
    if (dir->is_root && fat->type == 16) {
        // A cluster's worth of sectors per READ(10): the buffer's size.
        for (uint32_t sector = 0; sector < fat->root_sectors; sector += fat->sectors_per_cluster) {
            uint32_t count = fat->root_sectors - sector < fat->sectors_per_cluster ? fat->root_sectors - sector : fat->sectors_per_cluster;
            if (read_sectors(fat, fat->root_start + sector, count, buffer) != 0) goto done;
            for (uint32_t at = 0; at < count * fat->bytes_per_sector; at += 32) {
                int step = directory_slot(fat, buffer + at, lfn, visit, context, label);
                if (step != 0) {
                    result = step == 2 ? 0 : step;
                    goto done;
                }
            }
        }
        result = 0;
        goto done;
    }
    uint32_t cluster = dir->first_cluster;
    if (check_cluster(fat, cluster) != 0) {
        msc_error_context("directory %s", dir->name);
        goto done;
    }
    // A directory holds at most 65536 entries (2 MiB); a longer chain loops or is garbage.
    for (uint32_t visited = 0;; visited++) {
        if ((uint64_t)visited * unit >= 65536u * 32u) {
            msc_error("directory %s's cluster chain runs past 65536 entries: the FAT is corrupt", dir->name);
            goto done;
        }
        if (read_sectors(fat, cluster_sector(fat, cluster), fat->sectors_per_cluster, buffer) != 0) goto done;
        for (uint32_t at = 0; at < unit; at += 32) {
            int step = directory_slot(fat, buffer + at, lfn, visit, context, label);
            if (step != 0) {
                result = step == 2 ? 0 : step;
                goto done;
            }
        }
        int more = follow(fat, cluster, &cluster);
        if (more < 0) goto done;
        if (more == 0) break;
    }
    result = 0;
done:
    free(buffer);
    free(lfn);
    return result;
}

int msc_fat_list(msc_fat *fat, const msc_fat_entry *dir, msc_fat_visit visit, void *context) {
    return list_directory(fat, dir, visit, context, NULL);
}

static int ignore_entry(void *context, const msc_fat_entry *entry) {
    (void)context;
    (void)entry;
    return 0;
}

// ---- paths ------------------------------------------------------------------------------------

static int equal_ignoring_case(const char *a, const char *b) {
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'a' && x <= 'z') x = (unsigned char)(x - 32);
        if (y >= 'a' && y <= 'z') y = (unsigned char)(y - 32);
        if (x != y) return 0;
        if (x == 0) return 1;
    }
}

typedef struct find {
    const char *name;
    msc_fat_entry *found;
} find;

static int find_visitor(void *context, const msc_fat_entry *entry) {
    find *search = context;
    if (!equal_ignoring_case(entry->name, search->name) && !equal_ignoring_case(entry->short_name, search->name)) return 0;
    *search->found = *entry;
    return 1;
}

#define MAX_DEPTH 64

int msc_fat_lookup(msc_fat *fat, const char *path, msc_fat_entry *entry) {
    // Split and resolve "." and ".." first: a FAT ".." entry of a first-level directory says cluster 0.
    char copy[1024];
    if (strlen(path) >= sizeof copy) return msc_error("the path is longer than %zu bytes", sizeof copy - 1);
    strcpy(copy, path);
    char *parts[MAX_DEPTH];
    int depth = 0;
    for (char *part = strtok(copy, "/"); part != NULL; part = strtok(NULL, "/")) {
        if (strcmp(part, ".") == 0) continue;
        if (strcmp(part, "..") == 0) {
            if (depth > 0) depth--;
            continue;
        }
        if (depth == MAX_DEPTH) return msc_error("the path is deeper than %d directories", MAX_DEPTH);
        parts[depth++] = part;
    }
    memset(entry, 0, sizeof *entry);
    entry->attributes = MSC_FAT_ATTR_DIRECTORY;
    entry->is_root = 1;
    entry->first_cluster = fat->type == 32 ? fat->root_cluster : 0;
    strcpy(entry->name, "/");
    for (int i = 0; i < depth; i++) {
        if (!msc_fat_is_directory(entry)) {
            char walked[1024] = "";
            for (int j = 0; j < i; j++) {
                strncat(walked, "/", sizeof walked - strlen(walked) - 1);
                strncat(walked, parts[j], sizeof walked - strlen(walked) - 1);
            }
            return msc_error("%s: %s is a file, not a directory", path, walked);
        }
        msc_fat_entry next;
        find search = {parts[i], &next};
        int found = msc_fat_list(fat, entry, find_visitor, &search);
        if (found < 0) return -1;
        if (found == 0) return msc_error("%s: no such file or directory", path);
        *entry = next;
    }
    return 0;
}

// ---- files ------------------------------------------------------------------------------------

static int chain_ends_early(const msc_fat_entry *file, uint32_t left) {
    return msc_error("%s: the cluster chain ends after %u of %u bytes: the FAT is corrupt", file->name, file->size - left, file->size);
}

int msc_fat_read_file(msc_fat *fat, const msc_fat_entry *file, msc_fat_sink sink, void *context) {
    if (msc_fat_is_directory(file)) return msc_error("%s is a directory", file->name);
    uint32_t left = file->size;
    if (left == 0) return 0;
    uint32_t cluster = file->first_cluster;
    if (check_cluster(fat, cluster) != 0) return msc_error_context("%s", file->name);
    // Runs of consecutive clusters go in one READ(10) of up to 64 KiB.
    uint32_t room = fat->cluster_bytes > MAX_READ_BYTES ? fat->cluster_bytes : MAX_READ_BYTES;
    uint32_t per_run = room / fat->cluster_bytes;
    uint8_t *buffer = malloc(room);
    if (buffer == NULL) return msc_error("out of memory");
    int result = -1;
    uint32_t visited = 1;
    for (;;) {
        // CLUSTER is the next one to read; the run grows while the chain goes on to the next cluster on disk.
        uint32_t first = cluster, run = 1, next = 0;
        int have_next = 0;
        while (run < per_run && (uint64_t)run * fat->cluster_bytes < left) {
            int more = follow(fat, cluster, &next);
            if (more < 0) goto done;
            if (more == 0) {
                chain_ends_early(file, left - run * fat->cluster_bytes);
                goto done;
            }
            if (++visited > fat->cluster_count) {
                msc_error("%s: the cluster chain loops: the FAT is corrupt", file->name);
                goto done;
            }
            if (next != cluster + 1) {
                have_next = 1;
                break;
            }
            cluster = next;
            run++;
        }
        if (read_sectors(fat, cluster_sector(fat, first), run * fat->sectors_per_cluster, buffer) != 0) goto done;
        uint32_t bytes = run * fat->cluster_bytes;
        if (bytes > left) bytes = left;
        if (sink(context, buffer, bytes) != 0) goto done;
        left -= bytes;
        if (left == 0) break;
        if (have_next) {
            cluster = next;
            continue;
        }
        int more = follow(fat, cluster, &cluster);
        if (more < 0) goto done;
        if (more == 0) {
            chain_ends_early(file, left);
            goto done;
        }
        if (++visited > fat->cluster_count) {
            msc_error("%s: the cluster chain loops: the FAT is corrupt", file->name);
            goto done;
        }
    }
    result = 0;
done:
    free(buffer);
    return result;
}
