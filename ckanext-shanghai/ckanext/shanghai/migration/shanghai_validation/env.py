from ckanext.shanghai.common.migration_env import run

run("shanghai_validation")
