// The names a crash takes back: files and directories created, removed or
// renamed since the last sync, undone in reverse order as a power loss would
// leave them. A removed entry, or one a rename replaced, is kept in a trash
// directory beside the data (on the same file system, so keeping it is a
// rename) until the change is synced, then deleted.
//
// When a change is durable follows ext4's journal (data=ordered), which the
// systems under test are run on: a sync of any file or directory of the mount
// commits every name change made before it, not only those of its directory.
// A change that no sync followed is undone: a file created, written and never
// synced (nor anything after it) is gone; a rename of a synced file over
// another, with no sync after it, is taken back.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace atomixtest::disk {

class NamespaceJournal {
  public:
    // Directory descriptors of the data (lower) and the trash; paths are
    // relative to lower ("member/wal/0.wal", "." for its root).
    NamespaceJournal(int lower, int trash) : lower_(lower), trash_(trash) {}

    void created(const std::string& path);
    // unlink (directory false) or rmdir (true), with their errnos: -errno or 0.
    int remove(const std::string& path, bool directory);
    // rename(2) with renameat2's flags (RENAME_NOREPLACE, RENAME_EXCHANGE).
    int rename(const std::string& from, const std::string& to, unsigned int flags);

    void commit();  // every change so far is durable: the trash goes
    size_t undo();  // takes every change back, newest first; returns how many
    size_t pending() const { return changes_.size(); }

  private:
    enum class Kind { Created, Removed, Renamed, Exchanged };
    struct Change {
        Kind kind;
        std::string path;   // created, removed, or renamed from
        std::string to;     // renamed or exchanged to
        std::string trash;  // the removed or replaced entry's name in the trash
    };
    std::string next_trash_name();
    int replace(const std::string& from, const std::string& to, bool to_is_directory);

    int lower_;
    int trash_;
    std::vector<Change> changes_;
    uint64_t trash_count_ = 0;
};

// Removes a file, or a directory and all it holds, relative to `dir`.
void remove_tree(int dir, const std::string& path);
bool directory_is_empty(int dir, const std::string& path);

}  // namespace atomixtest::disk
