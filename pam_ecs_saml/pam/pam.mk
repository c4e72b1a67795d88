# pam_ecs_saml/pam: filled in by its owner
