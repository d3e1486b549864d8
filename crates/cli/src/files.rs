//! Writing files so that a crash or a full disk never leaves one half
//! written: beside it, synced, renamed over it.

use std::io::Write;
use std::path::Path;

/// Replaces the file at `path` with `contents` so that, whatever happens,
/// it holds either the old text or the new: a temporary file beside it
/// (the same file system) is written, synced and renamed over it, with the
/// old file's permissions. A symbolic link is followed: its target is
/// replaced and the link stays. On a full disk the temporary file is
/// removed and the file is untouched. A file that does not exist yet is
/// created the same way.
pub fn replace_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    // A new file is written the same way, with the default permissions.
    let (path, permissions) = match std::fs::canonicalize(path) {
        Ok(path) => {
            let permissions = std::fs::metadata(&path)?.permissions();
            (path, Some(permissions))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (path.to_owned(), None),
        Err(e) => return Err(e),
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut attempt = 0u32;
    let (temp, mut file) = loop {
        let temp = dir.join(format!(".{name}.mcauth-{}-{attempt}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(contents)
        .and_then(|()| match permissions {
            Some(p) => file.set_permissions(p),
            None => Ok(()),
        })
        .and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written.and_then(|()| std::fs::rename(&temp, &path)) {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    // The rename itself is durable once the folder is synced.
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}
