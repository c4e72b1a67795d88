# selinux: filled in by its owner
