-- Run once by the postgres image on an empty data directory (docker-compose.yml mounts it into
-- /docker-entrypoint-initdb.d): the databases of the engines that share this PostgreSQL with Jingzhun.
CREATE DATABASE keycloak OWNER jingzhun;
CREATE DATABASE temporal OWNER jingzhun;
CREATE DATABASE temporal_visibility OWNER jingzhun;
