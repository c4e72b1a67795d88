# pam_ecs_saml/nss: filled in by its owner
