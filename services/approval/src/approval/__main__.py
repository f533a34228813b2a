import sys

from approval.bootstrap import build
from approval.config import SERVICE, Settings
from crm_shared.runtime import main

if __name__ == "__main__":
    sys.exit(main(SERVICE, __file__, Settings, build))
