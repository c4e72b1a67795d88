# tests/deploy/overlay-root.sh — the fresh root of suites 80 and 81, sourced by
# tests/deploy/fresh-root and tests/deploy/deb-root, which run it inside a private mount
# namespace of their own: this machine's / under an empty overlay (writes go to a tmpfs),
# with a fresh /run and /tmp, Debian's pristine sshd_config, new host keys, and nothing of
# pam_ecs_saml in it.
#
#   overlay_root_mount DIR ROOT [private-dev]
#     the overlay at ROOT (its upper layer in DIR/layer/upper, so a suite can list what was
#     written); /proc, /sys and /dev of the machine inside, or with private-dev a /dev of
#     its own (the usual device nodes, a private /dev/shm, no /dev/log), so nothing written
#     there, and no log record, reaches the machine.
#   overlay_root_fresh ROOT
#     takes out what an earlier install of ours (make install, a package) left on this
#     machine, and puts Debian's own sshd configuration and new host keys in place.

overlay_root_mount() {
	local d=$1 r=$2 m
	mount --make-rprivate /
	mkdir -p "$d/layer" "$r"
	mount -t tmpfs -o mode=0755 tmpfs "$d/layer"
	mkdir "$d/layer/upper" "$d/layer/work"
	mount -t overlay overlay -o "lowerdir=/,upperdir=$d/layer/upper,workdir=$d/layer/work" "$r"
	for m in proc sys; do mount --rbind "/$m" "$r/$m"; done
	if [ "${3:-}" = private-dev ]; then
		mount -t tmpfs -o mode=0755,nosuid tmpfs "$r/dev"
		for m in null zero full random urandom tty; do
			touch "$r/dev/$m"
			mount --bind "/dev/$m" "$r/dev/$m"
		done
		mkdir -m 1777 "$r/dev/shm" && mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$r/dev/shm"
		mkdir "$r/dev/pts" && mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$r/dev/pts"
		ln -s pts/ptmx "$r/dev/ptmx"
		ln -s /proc/self/fd "$r/dev/fd"
		for m in 0:stdin 1:stdout 2:stderr; do ln -s "/proc/self/fd/${m%%:*}" "$r/dev/${m#*:}"; done
	else
		mount --rbind /dev "$r/dev"
	fi
	mount -t tmpfs -o mode=0755 tmpfs "$r/run"
	mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
}

overlay_root_fresh() {
	local r=$1 lib=/usr/lib/x86_64-linux-gnu
	rm -rf "$r$lib/security/pam_ecs_saml.so" "$r$lib/libnss_ecs_saml.so.2" \
		"$r"/usr/{,local/}libexec/pam_ecs_saml "$r"/usr/{,local/}sbin/ecs-saml-helper \
		"$r"/usr/{,local/}bin/ecs-saml-{ssh,exec} "$r"/usr/{,local/}share/doc/pam_ecs_saml \
		"$r"/usr/share/pam_ecs_saml \
		"$r"/usr/{,local/}lib/tmpfiles.d/pam_ecs_saml.conf \
		"$r"/usr/{,local/}lib/systemd/system/ecs-saml-gc.* "$r"/etc/systemd/system/*/ecs-saml-gc.* \
		"$r"/etc/security/pam_ecs_saml* "$r"/var/lib/pam_ecs_saml "$r"/etc/apparmor.d/ecs-saml-helper \
		"$r"/etc/ssh/sshd_config.d/50-pam_ecs_saml.conf "$r"/etc/pam.d/sudo-ecs-operator \
		"$r"/etc/sudoers.d/ecs-operator "$r"/etc/ssh/ssh_host_*
	sed -i -E '/^(passwd|group):/ s/ ecs_saml//' "$r/etc/nsswitch.conf"
	if chroot "$r" getent group ecs-operator >/dev/null; then chroot "$r" groupdel ecs-operator; fi
	cp /usr/share/openssh/sshd_config "$r/etc/ssh/sshd_config"
	chroot "$r" ssh-keygen -q -A
	mkdir -m 0755 "$r/run/sshd"	# systemd's ssh.service: RuntimeDirectory=sshd
}
