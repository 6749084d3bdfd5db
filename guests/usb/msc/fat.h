// A FAT16 and FAT32 reader (Microsoft's FAT specification, 2005): a bare volume or the first FAT
// partition of an MBR, the BPB, cluster chains, VFAT long names and 8.3 names, subdirectories.
// Read-only. Sectors come from the disk through SCSI READ(10).
#ifndef MSC_FAT_H
#define MSC_FAT_H

#include <stdint.h>

#include "scsi.h"

#define MSC_FAT_ATTR_READ_ONLY 0x01
#define MSC_FAT_ATTR_HIDDEN 0x02
#define MSC_FAT_ATTR_SYSTEM 0x04
#define MSC_FAT_ATTR_VOLUME_ID 0x08
#define MSC_FAT_ATTR_DIRECTORY 0x10
#define MSC_FAT_ATTR_ARCHIVE 0x20

// 255 UTF-16 units are at most 765 bytes of UTF-8.
#define MSC_FAT_NAME_MAX 766

typedef struct msc_fat {
    msc_disk *disk;
    int type;                // 16 or 32
    int partition;           // MBR entry 1 to 4, or 0 for a bare volume
    uint64_t volume_start;   // in device blocks
    uint32_t blocks_per_sector;
    uint32_t bytes_per_sector;
    uint32_t sectors_per_cluster;
    uint32_t cluster_bytes;
    uint32_t fat_start;      // sectors from the volume's start
    uint32_t fat_sectors;
    uint32_t root_start;     // FAT16: the fixed root directory's first sector
    uint32_t root_sectors;
    uint32_t root_cluster;   // FAT32
    uint32_t data_start;
    uint32_t cluster_count;
    uint32_t total_sectors;
    uint32_t serial;
    char label[12];
    char oem[9];
    uint8_t *fat_cache;      // one sector of the FAT
    uint32_t fat_cache_sector;
} msc_fat;

typedef struct msc_fat_entry {
    char name[MSC_FAT_NAME_MAX];  // the long name when there is a valid one, else the 8.3 name
    char short_name[13];
    uint8_t attributes;
    uint8_t is_root;
    uint32_t first_cluster;
    uint32_t size;
    uint16_t date;  // FAT format: year-1980 << 9 | month << 5 | day
    uint16_t time;  // hour << 11 | minute << 5 | second / 2
} msc_fat_entry;

// 0 to go on, 1 to stop (found what it wanted), -1 for an error (message set).
typedef int (*msc_fat_visit)(void *context, const msc_fat_entry *entry);
// Receives a file's bytes in order; 0 to go on, -1 for an error.
typedef int (*msc_fat_sink)(void *context, const uint8_t *data, uint32_t length);

int msc_fat_mount(msc_fat *fat, msc_disk *disk);
void msc_fat_unmount(msc_fat *fat);

// The entry PATH names ("/" or "" is the root); '/' separates names, matched without regard to
// ASCII case against the long and the 8.3 name; "." and ".." are resolved in the path itself.
int msc_fat_lookup(msc_fat *fat, const char *path, msc_fat_entry *entry);

// Every entry of the directory DIR in on-disk order, without ".", "..", volume labels and deleted entries.
// Returns 0, 1 when the visitor stopped, or -1.
int msc_fat_list(msc_fat *fat, const msc_fat_entry *dir, msc_fat_visit visit, void *context);

int msc_fat_read_file(msc_fat *fat, const msc_fat_entry *file, msc_fat_sink sink, void *context);

static inline int msc_fat_is_directory(const msc_fat_entry *entry) { return (entry->attributes & MSC_FAT_ATTR_DIRECTORY) != 0; }

#endif
