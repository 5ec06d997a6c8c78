"""Identity and access (身份与权限): departments, users, city-system clients, the policy, the audit chain."""
