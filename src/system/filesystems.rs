//! Which mounts are real filesystems worth showing: no kernel pseudo filesystems, no
//! memory-backed ones, no snap images, no network shares (whose `statvfs` can hang), and
//! each device once (containers bind-mount the host's disk over files like /etc/hosts).

/// Filesystem types that hold no data of the machine's own disks.
const PSEUDO: &[&str] = &[
    "autofs",
    "binfmt_misc",
    "bpf",
    "cgroup",
    "cgroup2",
    "configfs",
    "debugfs",
    "devpts",
    "devtmpfs",
    "efivarfs",
    "fusectl",
    "hugetlbfs",
    "iso9660",
    "mqueue",
    "nsfs",
    "proc",
    "pstore",
    "ramfs",
    "rootfs",
    "rpc_pipefs",
    "securityfs",
    "selinuxfs",
    "squashfs",
    "sysfs",
    "tmpfs",
    "tracefs",
    "fuse.lxcfs",
    "fuse.gvfsd-fuse",
    "fuse.portal",
    // Network shares: a `statvfs` on a hard-mounted share whose server is gone hangs.
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
];

/// Mount points under these hold only kernel or runtime state.
const PSEUDO_ROOTS: &[&str] = &["/proc", "/sys", "/dev", "/run", "/snap"];

/// True when a mount of type `kind` at `mount` is a real filesystem. An `overlay` is
/// real only as the root of a container; elsewhere it is some container's layer.
pub fn is_real(kind: &str, mount: &str) -> bool {
    if PSEUDO.contains(&kind) {
        return false;
    }
    if kind == "overlay" {
        return mount == "/";
    }
    let under = |root: &str| mount == root || mount.starts_with(&format!("{root}/"));
    let removable_media = under("/run/media");
    removable_media || !PSEUDO_ROOTS.iter().any(|root| under(root))
}

/// Order for the screen: "/" first, then by mount point.
pub fn order(a: &str, b: &str) -> std::cmp::Ordering {
    (a != "/").cmp(&(b != "/")).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_and_pseudo_mounts() {
        let cases = [
            ("ext4", "/", true),
            ("xfs", "/var/lib/postgresql", true),
            ("btrfs", "/home", true),
            ("vfat", "/boot/efi", true),
            ("overlay", "/", true),
            ("overlay", "/var/lib/docker/overlay2/abc/merged", false),
            ("tmpfs", "/tmp", false),
            ("tmpfs", "/dev/shm", false),
            ("devtmpfs", "/dev", false),
            ("proc", "/proc", false),
            ("sysfs", "/sys", false),
            ("cgroup2", "/sys/fs/cgroup", false),
            ("squashfs", "/snap/core/123", false),
            ("ext4", "/snap/thing", false),
            ("ext4", "/snapshots", true),
            ("ext4", "/run/media/usb", true),
            ("ext4", "/run/user/1000/doc", false),
            ("nfs4", "/mnt/share", false),
            ("fuse.lxcfs", "/var/lib/lxcfs", false),
            ("ext4", "/devices", true),
        ];
        for (kind, mount, want) in cases {
            assert_eq!(is_real(kind, mount), want, "{kind} at {mount}");
        }
    }

    #[test]
    fn root_comes_first() {
        let mut mounts = vec!["/var", "/", "/boot", "/home"];
        mounts.sort_by(|a, b| order(a, b));
        assert_eq!(mounts, ["/", "/boot", "/home", "/var"]);
    }
}
