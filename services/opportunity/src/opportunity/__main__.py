import sys

from crm_shared.runtime import main

from opportunity.bootstrap import build
from opportunity.config import SERVICE, Settings

if __name__ == "__main__":
    sys.exit(main(SERVICE, __file__, Settings, build))
